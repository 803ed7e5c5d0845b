package dispatch

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/store"
)

type trainingRow struct {
	ID        int64
	DriverID  int64
	Date      time.Time
	Topic     string
	Hours     float64
	Note      string
	UserID    *int64
	CreatedAt time.Time
}

func (trainingRow) TableName() string { return "driver_trainings" }

func (r *trainingRow) training() Training {
	return Training{ID: r.ID, DriverID: r.DriverID, Date: r.Date.UTC(), Topic: r.Topic, Hours: r.Hours, Note: r.Note,
		UserID: r.UserID, CreatedAt: r.CreatedAt}
}

func trainingErr(err error) error {
	switch {
	case err == nil:
		return nil
	case store.IsForeignKey(err):
		return fleet.Errorf(fleet.ENotFound, "driver not found")
	}
	return fmt.Errorf("dispatch: training: %w", err)
}

func (s *Service) insertTraining(ctx context.Context, driverID int64, in TrainingInput, by *int64, now time.Time) (*Training, error) {
	r := trainingRow{DriverID: driverID, Date: in.date, Topic: in.Topic, Hours: in.Hours, Note: in.Note, UserID: by, CreatedAt: now}
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return nil, trainingErr(err)
	}
	t := r.training()
	return &t, nil
}

func (s *Service) listTrainings(ctx context.Context, driverID int64, page fleet.Page) ([]Training, int64, error) {
	q := s.db.WithContext(ctx).Model(&trainingRow{}).Where("driver_id = ?", driverID)
	if page.Query != "" {
		q = q.Where("topic LIKE ? ESCAPE '!'", store.Like(page.Query))
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, trainingErr(err)
	}
	var rows []trainingRow
	if err := q.Order("date DESC, id DESC").Limit(page.Limit).Offset(page.Offset).Find(&rows).Error; err != nil {
		return nil, 0, trainingErr(err)
	}
	out := make([]Training, len(rows))
	for i := range rows {
		out[i] = rows[i].training()
	}
	return out, total, nil
}
