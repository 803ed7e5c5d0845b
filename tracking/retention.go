package tracking

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"fleet/store"
)

// maintain keeps the positions table in shape once now and then every interval until ctx ends:
// on MySQL it adds the partitions of the coming months and drops whole months older than the
// retention; on SQLite it deletes old rows in small batches.
func (s *Service) maintain(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.MaintainPositions(ctx); err != nil && ctx.Err() == nil {
			s.opt.Logger.Warn("positions maintenance", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// MaintainPositions runs one round of partition upkeep and retention.
func (s *Service) MaintainPositions(ctx context.Context) error {
	now := s.opt.Now()
	if s.db.Dialect == store.MySQL {
		// Several instances run this: one at a time (the others skip the round), and a partition
		// that another one just added is not an error.
		unlock, ok, err := s.lock(ctx, "fleet_positions_maintain")
		if err != nil || !ok {
			return err
		}
		defer unlock()
		if err := s.addPartitions(ctx, now); err != nil && !strings.Contains(err.Error(), "Duplicate partition name") {
			return err
		}
	}
	if s.opt.RetentionDays <= 0 {
		return nil
	}
	cutoff := now.AddDate(0, 0, -s.opt.RetentionDays)
	if s.db.Dialect == store.MySQL {
		return s.dropPartitions(ctx, cutoff)
	}
	// Small batches, so that writers never wait long for the lock.
	for {
		res := s.db.WithContext(ctx).Exec(`DELETE FROM positions WHERE (vehicle_id, fixed_at) IN
			(SELECT vehicle_id, fixed_at FROM positions WHERE fixed_at < ? LIMIT 5000)`, dbTime(cutoff))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected < 5000 {
			return nil
		}
	}
}

// partitions returns the names of positions' month partitions (pYYYYMM), oldest first.
func (s *Service) partitions(ctx context.Context) ([]string, error) {
	var names []string
	err := s.db.WithContext(ctx).Raw(`SELECT partition_name FROM information_schema.partitions
		WHERE table_schema = DATABASE() AND table_name = 'positions' AND partition_name IS NOT NULL
		ORDER BY partition_ordinal_position`).Scan(&names).Error
	return names, err
}

// addPartitions splits pmax so that the next three months have their own partitions.
func (s *Service) addPartitions(ctx context.Context, now time.Time) error {
	names, err := s.partitions(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	if !have["pmax"] {
		return nil // not partitioned (created by hand, or an older server)
	}
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	var parts []string
	for m := 0; m <= 3; m++ {
		start := first.AddDate(0, m, 0)
		if name := store.PartitionName(start); !have[name] {
			parts = append(parts, fmt.Sprintf("PARTITION %s VALUES LESS THAN ('%s')", name, start.AddDate(0, 1, 0).Format(time.DateOnly)))
		}
	}
	if len(parts) == 0 {
		return nil
	}
	// Only months after the newest existing one can be split off pmax, in order.
	sql := "ALTER TABLE positions REORGANIZE PARTITION pmax INTO (" + strings.Join(parts, ", ") + ", PARTITION pmax VALUES LESS THAN (MAXVALUE))"
	return s.db.WithContext(ctx).Exec(sql).Error
}

// dropPartitions drops the months that end before cutoff.
func (s *Service) dropPartitions(ctx context.Context, cutoff time.Time) error {
	names, err := s.partitions(ctx)
	if err != nil {
		return err
	}
	var old []string
	oldest := time.Time{} // start of the oldest month partition: the upper bound of p_old
	for _, n := range names {
		start, err := time.Parse("p200601", n)
		if err != nil {
			continue // p_old and pmax stay
		}
		if oldest.IsZero() {
			oldest = start
		}
		if !start.AddDate(0, 1, 0).After(cutoff) {
			old = append(old, n)
		}
	}
	if !oldest.IsZero() && !oldest.After(cutoff) {
		// Everything in p_old is older than the retention too; the partition itself stays.
		if err := s.db.WithContext(ctx).Exec("ALTER TABLE positions TRUNCATE PARTITION p_old").Error; err != nil {
			return err
		}
	}
	if len(old) == 0 {
		return nil
	}
	s.opt.Logger.Info("dropping old positions", slog.Any("partitions", old))
	return s.db.WithContext(ctx).Exec("ALTER TABLE positions DROP PARTITION " + strings.Join(old, ", ")).Error
}

// lock takes a MySQL named lock on a connection of its own, waiting at most 10 s.
func (s *Service) lock(ctx context.Context, name string) (unlock func(), ok bool, err error) {
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 10)", name).Scan(&got); err != nil {
		conn.Close()
		return nil, false, err
	}
	if got.Int64 != 1 {
		conn.Close()
		return nil, false, nil
	}
	return func() {
		conn.ExecContext(context.Background(), "SELECT RELEASE_LOCK(?)", name)
		conn.Close()
	}, true, nil
}
