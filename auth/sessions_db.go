package auth

import (
	"context"
	"time"

	"fleet/store"
)

// sessionStore keeps sessions server-side: in the database, or in Redis when it is configured.
type sessionStore interface {
	create(ctx context.Context, r *sessionRow) error
	// get returns the session, or a fleet ENotFound error.
	get(ctx context.Context, id string) (*sessionRow, error)
	touch(ctx context.Context, id string, now time.Time)
	delete(ctx context.Context, id string) error
	// deleteUser ends every session of the user except keep ("" for none).
	deleteUser(ctx context.Context, userID int64, keep string) error
	// purge removes expired sessions and says how many.
	purge(ctx context.Context, now time.Time) (int64, error)
}

// dbSessions keeps sessions in the sessions table.
type dbSessions struct{ db *store.DB }

func (d dbSessions) create(ctx context.Context, r *sessionRow) error {
	return dbErr(d.db.WithContext(ctx).Create(r).Error, "")
}

func (d dbSessions) get(ctx context.Context, id string) (*sessionRow, error) {
	var r sessionRow
	if err := d.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, dbErr(err, "session")
	}
	return &r, nil
}

func (d dbSessions) touch(ctx context.Context, id string, now time.Time) {
	d.db.WithContext(ctx).Model(&sessionRow{}).Where("id = ?", id).Update("last_seen_at", now)
}

func (d dbSessions) delete(ctx context.Context, id string) error {
	return dbErr(d.db.WithContext(ctx).Delete(&sessionRow{}, "id = ?", id).Error, "")
}

func (d dbSessions) deleteUser(ctx context.Context, userID int64, keep string) error {
	return dbErr(d.db.WithContext(ctx).Where("user_id = ? AND id <> ?", userID, keep).Delete(&sessionRow{}).Error, "")
}

func (d dbSessions) purge(ctx context.Context, now time.Time) (int64, error) {
	res := d.db.WithContext(ctx).Where("expires_at <= ?", now).Delete(&sessionRow{})
	return res.RowsAffected, dbErr(res.Error, "")
}
