package tracking

import "context"

// InCounty reports whether a point (WGS-84) lies inside a county_boundary geofence. With no such
// fence configured no place is outside, so every point is in. Dispatch asks it of a request's
// origin and destinations.
func (s *Service) InCounty(ctx context.Context, lat, lng float64) (bool, error) {
	ix, err := s.loadedFences(ctx)
	if err != nil {
		return false, err
	}
	if ix == nil || ix.counties == 0 {
		return true, nil
	}
	var buf [maxFencesAtOnce]*fence
	return hasKind(ix.appendAt(buf[:0], lat, lng), FenceCountyBoundary), nil
}
