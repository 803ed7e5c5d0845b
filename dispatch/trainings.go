package dispatch

import (
	"context"
	"fmt"

	"fleet"
	"fleet/auth"
)

// AddTraining adds a safety-training record to a driver.
func (s *Service) AddTraining(ctx context.Context, a *auth.Actor, driverID int64, in TrainingInput) (*Training, error) {
	if err := a.Require(auth.PermRecordsWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if _, err := s.getDriver(ctx, driverID); err != nil {
		return nil, err
	}
	t, err := s.insertTraining(ctx, driverID, in, actorID(a), s.now())
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "driver_training_add", driverTarget(driverID), fmt.Sprintf("training=%d %s %.1fh %s", t.ID,
		t.Date.Format("2006-01-02"), t.Hours, t.Topic))
	return t, nil
}

// ListTrainings returns a driver's training records, newest first, and their count.
func (s *Service) ListTrainings(ctx context.Context, a *auth.Actor, driverID int64, page fleet.Page) ([]Training, int64, error) {
	if err := a.Require(auth.PermRecordsRead); err != nil {
		return nil, 0, err
	}
	if _, err := s.getDriver(ctx, driverID); err != nil {
		return nil, 0, err
	}
	return s.listTrainings(ctx, driverID, page.Normalize())
}
