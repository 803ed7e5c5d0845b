package tracking

import "context"

// detectTrips is replaced by the trip and stop builder.
func detectTrips(ctx context.Context, s *Service, st *vstate, p *Point) {}
