package store

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Version 3: positions (raw DDL: on MySQL partitioned by month of fix time), terminals and
// downlink commands.

func migratePositions(tx *gorm.DB, dialect string) error {
	if tx.Migrator().HasTable("positions") {
		return nil
	}
	if dialect == SQLite {
		// Times are stored as UTC text "2006-01-02 15:04:05.000", which sorts as it reads.
		return tx.Exec(`CREATE TABLE positions (
			vehicle_id  INTEGER NOT NULL,
			fixed_at    DATETIME NOT NULL,
			lat         REAL NOT NULL,
			lng         REAL NOT NULL,
			speed_kmh   REAL NOT NULL DEFAULT 0,
			course      INTEGER NOT NULL DEFAULT 0,
			altitude    INTEGER NOT NULL DEFAULT 0,
			acc         INTEGER NOT NULL DEFAULT 0,
			alarm       INTEGER NOT NULL DEFAULT 0,
			status      INTEGER NOT NULL DEFAULT 0,
			mileage_km  REAL,
			fuel_l      REAL,
			source      INTEGER NOT NULL DEFAULT 0,
			blind       INTEGER NOT NULL DEFAULT 0,
			received_at DATETIME NOT NULL,
			PRIMARY KEY (vehicle_id, fixed_at)
		) WITHOUT ROWID`).Error
	}
	return tx.Exec(`CREATE TABLE positions (
		vehicle_id  BIGINT NOT NULL,
		fixed_at    DATETIME(3) NOT NULL,
		lat         DOUBLE NOT NULL,
		lng         DOUBLE NOT NULL,
		speed_kmh   FLOAT NOT NULL DEFAULT 0,
		course      SMALLINT UNSIGNED NOT NULL DEFAULT 0,
		altitude    INT NOT NULL DEFAULT 0,
		acc         TINYINT(1) NOT NULL DEFAULT 0,
		alarm       INT UNSIGNED NOT NULL DEFAULT 0,
		status      INT UNSIGNED NOT NULL DEFAULT 0,
		mileage_km  DOUBLE NULL,
		fuel_l      FLOAT NULL,
		source      TINYINT UNSIGNED NOT NULL DEFAULT 0,
		blind       TINYINT(1) NOT NULL DEFAULT 0,
		received_at DATETIME(3) NOT NULL,
		PRIMARY KEY (vehicle_id, fixed_at)
	) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ` + monthPartitions(time.Now().UTC())).Error
}

// monthPartitions is the PARTITION clause for the months around now: one partition for all that
// is older, one per month from last month to three months ahead, and pmax for the rest.
// PartitionMaintenance adds months ahead and drops old ones as time goes on.
func monthPartitions(now time.Time) string {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	parts := []string{fmt.Sprintf("PARTITION p_old VALUES LESS THAN ('%s')", first.Format(time.DateOnly))}
	for m := 0; m < 5; m++ {
		start := first.AddDate(0, m, 0)
		parts = append(parts, fmt.Sprintf("PARTITION %s VALUES LESS THAN ('%s')", PartitionName(start), start.AddDate(0, 1, 0).Format(time.DateOnly)))
	}
	parts = append(parts, "PARTITION pmax VALUES LESS THAN (MAXVALUE)")
	return "PARTITION BY RANGE COLUMNS(fixed_at) (\n" + strings.Join(parts, ",\n") + ")"
}

// PartitionName names the partition of the month that starts at start: p202611.
func PartitionName(start time.Time) string { return start.Format("p200601") }

type v3Terminal struct {
	Phone           string `gorm:"size:20;primaryKey"` // digits, leading zeros stripped
	VehicleID       int64  `gorm:"not null;index"`
	AuthCode        string `gorm:"size:64;not null"`
	ProtocolVersion int    `gorm:"not null;default:2013"` // 2013 or 2019
	Maker           string `gorm:"size:32;not null;default:''"`
	Model           string `gorm:"size:64;not null;default:''"`
	TerminalID      string `gorm:"size:64;not null;default:''"`
	PlateColor      int    `gorm:"not null;default:0"`
	Plate           string `gorm:"size:32;not null;default:''"`
	RegisteredAt    time.Time
	AuthenticatedAt *time.Time
	LastSeenAt      *time.Time
}

func (v3Terminal) TableName() string { return "terminals" }

type v3TerminalCommand struct {
	ID         int64      `gorm:"primaryKey"`
	VehicleID  int64      `gorm:"not null;index"`
	Phone      string     `gorm:"size:20;not null"`
	MsgID      int        `gorm:"not null"`         // 0x8300 text, 0x8201 location query
	Serial     *int       `gorm:"index"`            // platform serial it went out with
	Body       string     `gorm:"type:text"`        // the text, for 0x8300
	Status     string     `gorm:"size:16;not null"` // queued, sent, answered, failed, offline
	Result     *int       `gorm:""`                 // the terminal's 0x0001 result
	CreatedBy  *int64     `gorm:""`                 // user id
	CreatedAt  time.Time  `gorm:"not null;index"`
	SentAt     *time.Time `gorm:""`
	AnsweredAt *time.Time `gorm:""`
}

func (v3TerminalCommand) TableName() string { return "terminal_commands" }
