package dispatch

import (
	"math"
	"time"

	"fleet"
)

// Training is a driver's safety-training record (安全培训).
type Training struct {
	ID        int64     `json:"id"`
	DriverID  int64     `json:"driver_id"`
	Date      time.Time `json:"date"`
	Topic     string    `json:"topic"`
	Hours     float64   `json:"hours"`
	Note      string    `json:"note"`
	UserID    *int64    `json:"user_id"` // who entered it
	CreatedAt time.Time `json:"created_at"`
}

// TrainingInput adds a training record; Date is 2006-01-02.
type TrainingInput struct {
	Date  string  `json:"date"`
	Topic string  `json:"topic"`
	Hours float64 `json:"hours"`
	Note  string  `json:"note"`

	date time.Time
}

// validate normalizes the input and returns its problems.
func (in *TrainingInput) validate() error {
	p := fleet.Problems{}
	if d := optionalDate(p, "date", in.Date); d != nil {
		in.date = *d
	} else if in.Date == "" {
		p.Add("date", "required")
	}
	in.Topic = p.Text("topic", in.Topic, true, 200)
	if math.IsNaN(in.Hours) || in.Hours <= 0 || in.Hours > 24 {
		p.Add("hours", "must be more than 0 and at most 24")
	}
	in.Note = p.Text("note", in.Note, false, 1000)
	return p.Err()
}
