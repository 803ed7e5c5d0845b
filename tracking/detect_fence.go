package tracking

import "context"

// detectFences is replaced by the geofence detector (enter/exit, out of area, overnight parking).
func detectFences(ctx context.Context, s *Service, st *vstate, p *Point) {}
