package dispatch

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"fleet/auth"
)

// settingsKey is the row of dispatch_settings that holds Settings as JSON.
const settingsKey = "dispatch"

type settingRow struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedBy *int64
	UpdatedAt time.Time
}

func (settingRow) TableName() string { return "dispatch_settings" }

// loadSettings reads the stored settings over the defaults (a setting added later keeps its
// default until changed).
func (d *Desk) loadSettings(ctx context.Context) error {
	var rows []settingRow
	if err := d.db.WithContext(ctx).Where("`key` = ?", settingsKey).Find(&rows).Error; err != nil {
		return fmt.Errorf("dispatch: settings: %w", err)
	}
	s := DefaultSettings()
	if len(rows) == 1 {
		if err := json.Unmarshal([]byte(rows[0].Value), &s); err != nil {
			return fmt.Errorf("dispatch: settings: %w", err)
		}
	}
	d.settings.Store(&s)
	return nil
}

// GetSettings returns the dispatch settings in force.
func (d *Desk) GetSettings(ctx context.Context, a *auth.Actor) (*Settings, error) {
	if err := a.Require(auth.PermAny); err != nil {
		return nil, err
	}
	s := d.currentSettings()
	return &s, nil
}

// PutSettings replaces the dispatch settings; every instance takes them at once (bus).
func (d *Desk) PutSettings(ctx context.Context, a *auth.Actor, in Settings) (*Settings, error) {
	if err := a.Require(auth.PermDispatch); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	row := settingRow{Key: settingsKey, Value: string(b), UpdatedAt: d.now()}
	if a.UserID != 0 {
		row.UpdatedBy = &a.UserID
	}
	err = d.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error
	if err != nil {
		return nil, dispatchErr(err, "settings")
	}
	s := in
	d.settings.Store(&s)
	d.publish(ctx, TaskNotice{Event: EventSettings})
	d.record(ctx, a, "dispatch_settings", "dispatch_settings", string(b))
	return &s, nil
}
