package store

import "time"

// Version 4: events, geofences (with their H3 cells), trips and stops, daily figures per vehicle,
// the working calendar, and speed limits per vehicle class.

type v4Event struct {
	ID        int64      `gorm:"primaryKey"`
	VehicleID int64      `gorm:"not null;index:idx_events_vehicle_started,priority:1"`
	Type      string     `gorm:"size:32;not null;index"`
	StartedAt time.Time  `gorm:"not null;index;index:idx_events_vehicle_started,priority:2"`
	EndedAt   *time.Time `gorm:""`
	Lat       float64    `gorm:"not null"`
	Lng       float64    `gorm:"not null"`
	Detail    string     `gorm:"type:text"` // JSON: alarm bit, peak speed, geofence ...
	AckBy     *int64     `gorm:""`
	AckAt     *time.Time `gorm:""`
	Note      string     `gorm:"type:text"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v4Event) TableName() string { return "events" }

type v4Geofence struct {
	ID            int64   `gorm:"primaryKey"`
	Name          string  `gorm:"size:100;not null"`
	Kind          string  `gorm:"size:32;not null;index"` // county_boundary, parking, area
	Shape         string  `gorm:"size:16;not null"`       // circle, polygon
	CenterLat     float64 `gorm:"not null;default:0"`
	CenterLng     float64 `gorm:"not null;default:0"`
	RadiusM       float64 `gorm:"not null;default:0"`
	Polygon       string  `gorm:"type:text"` // JSON [[lat,lng],...]
	SpeedLimitKmh *float64
	VehicleID     *int64 `gorm:"index"` // a parking point designated for one vehicle
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (v4Geofence) TableName() string { return "geofences" }

type v4GeofenceCell struct {
	Cell       int64 `gorm:"primaryKey;autoIncrement:false"` // H3 index
	GeofenceID int64 `gorm:"primaryKey;autoIncrement:false;index"`
}

func (v4GeofenceCell) TableName() string { return "geofence_cells" }

type v4Trip struct {
	ID          int64     `gorm:"primaryKey"`
	VehicleID   int64     `gorm:"not null;uniqueIndex:idx_trips_vehicle_start,priority:1"`
	StartAt     time.Time `gorm:"not null;uniqueIndex:idx_trips_vehicle_start,priority:2"`
	EndAt       time.Time `gorm:"not null"`
	StartLat    float64
	StartLng    float64
	EndLat      float64
	EndLng      float64
	DistanceKm  float64
	DurationS   int
	DrivingS    int
	MaxSpeedKmh float64
	AvgSpeedKmh float64
	OdometerKm  *float64 // the terminal's mileage item, end minus start
	CreatedAt   time.Time
}

func (v4Trip) TableName() string { return "trips" }

type v4Stop struct {
	ID        int64     `gorm:"primaryKey"`
	VehicleID int64     `gorm:"not null;uniqueIndex:idx_stops_vehicle_start,priority:1"`
	StartAt   time.Time `gorm:"not null;uniqueIndex:idx_stops_vehicle_start,priority:2"`
	EndAt     time.Time `gorm:"not null"`
	Lat       float64
	Lng       float64
	DurationS int
	CreatedAt time.Time
}

func (v4Stop) TableName() string { return "stops" }

type v4VehicleDay struct {
	VehicleID  int64     `gorm:"primaryKey;autoIncrement:false"`
	Day        time.Time `gorm:"primaryKey;type:date"` // the county's calendar day
	DistanceKm float64
	DrivingS   int
	Trips      int
	Overspeeds int
	Misuses    int
	UpdatedAt  time.Time
}

func (v4VehicleDay) TableName() string { return "vehicle_days" }

type v4CalendarDay struct {
	Day     time.Time `gorm:"primaryKey;type:date"`
	Working bool      `gorm:"not null"` // a holiday (false) or a make-up working day (true)
	Name    string    `gorm:"size:64;not null;default:''"`
}

func (v4CalendarDay) TableName() string { return "calendar_days" }

type v4SpeedLimit struct {
	Class    string  `gorm:"size:32;primaryKey"`
	LimitKmh float64 `gorm:"not null"`
}

func (v4SpeedLimit) TableName() string { return "speed_limits" }
