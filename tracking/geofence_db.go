package tracking

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/store"
)

// geofenceRow is a row of geofences (migration 4).
type geofenceRow struct {
	ID            int64 `gorm:"primaryKey"`
	Name          string
	Kind          string
	Shape         string
	CenterLat     float64
	CenterLng     float64
	RadiusM       float64
	Polygon       string // JSON [[lat,lng],...]; empty for a circle
	SpeedLimitKmh *float64
	VehicleID     *int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (geofenceRow) TableName() string { return "geofences" }

// geofenceCellRow is a row of geofence_cells: one H3 cell of a fence's cover (inside or border
// alike; the split is recomputed from the shape when the fences are loaded).
type geofenceCellRow struct {
	Cell       int64 `gorm:"primaryKey;autoIncrement:false"`
	GeofenceID int64 `gorm:"primaryKey;autoIncrement:false"`
}

func (geofenceCellRow) TableName() string { return "geofence_cells" }

// cellBatch is how many cell rows one INSERT carries.
const cellBatch = 1000

func fenceRowOf(in GeofenceInput, now time.Time) geofenceRow {
	r := geofenceRow{Name: in.Name, Kind: in.Kind, Shape: in.Shape, SpeedLimitKmh: in.SpeedLimitKmh, VehicleID: in.VehicleID,
		CreatedAt: now, UpdatedAt: now}
	if in.Shape == ShapeCircle {
		r.CenterLat, r.CenterLng, r.RadiusM = in.Center.Lat, in.Center.Lng, in.RadiusM
	} else {
		b, _ := json.Marshal(in.Polygon)
		r.Polygon = string(b)
	}
	return r
}

// geofence is the row in its API form.
func (r *geofenceRow) geofence() *Geofence {
	g := &Geofence{ID: r.ID, Name: r.Name, Kind: r.Kind, Shape: r.Shape, SpeedLimitKmh: r.SpeedLimitKmh, VehicleID: r.VehicleID,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.Shape == ShapeCircle {
		radius := r.RadiusM
		g.Center, g.RadiusM = &LatLng{Lat: r.CenterLat, Lng: r.CenterLng}, &radius
	} else {
		var pts [][]float64
		json.Unmarshal([]byte(r.Polygon), &pts)
		g.Polygon = make([][2]float64, 0, len(pts))
		for _, p := range pts {
			if len(p) == 2 {
				g.Polygon = append(g.Polygon, [2]float64{p[0], p[1]})
			}
		}
	}
	return g
}

// input is the row as the input that would store it (to rebuild its shape).
func (r *geofenceRow) input() GeofenceInput {
	in := GeofenceInput{Name: r.Name, Kind: r.Kind, Shape: r.Shape, SpeedLimitKmh: r.SpeedLimitKmh, VehicleID: r.VehicleID}
	if r.Shape == ShapeCircle {
		in.Center, in.RadiusM = &LatLng{Lat: r.CenterLat, Lng: r.CenterLng}, r.RadiusM
	} else {
		json.Unmarshal([]byte(r.Polygon), &in.Polygon)
	}
	return in
}

func fenceErr(err error) error {
	if err == nil {
		return nil
	}
	if store.IsNotFound(err) {
		return fleet.Errorf(fleet.ENotFound, "geofence not found")
	}
	return fmt.Errorf("tracking: geofence: %w", err)
}

func insertCells(tx *gorm.DB, id int64, cells []fenceCell) error {
	rows := make([]geofenceCellRow, len(cells))
	for i, c := range cells {
		rows[i] = geofenceCellRow{Cell: int64(c.cell), GeofenceID: id}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(rows, cellBatch).Error
}

func (s *Service) insertGeofence(ctx context.Context, r *geofenceRow, cells []fenceCell) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		return insertCells(tx, r.ID, cells)
	})
	return fenceErr(err)
}

// updateGeofence replaces the row and, when cells is not nil (the shape changed), its cells.
func (s *Service) updateGeofence(ctx context.Context, r *geofenceRow, cells []fenceCell) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old geofenceRow
		if err := tx.Select("id", "created_at").Take(&old, r.ID).Error; err != nil {
			return err
		}
		r.CreatedAt = old.CreatedAt
		if err := tx.Save(r).Error; err != nil {
			return err
		}
		if cells == nil {
			return nil
		}
		if err := tx.Where("geofence_id = ?", r.ID).Delete(&geofenceCellRow{}).Error; err != nil {
			return err
		}
		return insertCells(tx, r.ID, cells)
	})
	return fenceErr(err)
}

func (s *Service) deleteGeofence(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("geofence_id = ?", id).Delete(&geofenceCellRow{}).Error; err != nil {
			return err
		}
		res := tx.Delete(&geofenceRow{}, id)
		if res.Error == nil && res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		return res.Error
	})
	return fenceErr(err)
}

func (s *Service) getGeofence(ctx context.Context, id int64) (*geofenceRow, error) {
	var r geofenceRow
	if err := s.db.WithContext(ctx).Take(&r, id).Error; err != nil {
		return nil, fenceErr(err)
	}
	return &r, nil
}

func (s *Service) listGeofences(ctx context.Context, f GeofenceFilter) ([]geofenceRow, int64, error) {
	q := s.db.WithContext(ctx).Model(&geofenceRow{})
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.VehicleID != 0 {
		q = q.Where("vehicle_id = ?", f.VehicleID)
	}
	if f.Query != "" {
		q = q.Where("name LIKE ? ESCAPE '!'", store.Like(f.Query))
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fenceErr(err)
	}
	rows := []geofenceRow{}
	if err := q.Order("id").Limit(f.Limit).Offset(f.Offset).Find(&rows).Error; err != nil {
		return nil, 0, fenceErr(err)
	}
	return rows, total, nil
}

// allGeofences returns every fence, by id.
func (s *Service) allGeofences(ctx context.Context) ([]geofenceRow, error) {
	var rows []geofenceRow
	if err := s.db.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, fenceErr(err)
	}
	return rows, nil
}

// storedCellCounts returns how many cells each fence has in geofence_cells.
func (s *Service) storedCellCounts(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		GeofenceID int64
		N          int
	}
	err := s.db.WithContext(ctx).Model(&geofenceCellRow{}).Select("geofence_id, COUNT(*) AS n").Group("geofence_id").Scan(&rows).Error
	if err != nil {
		return nil, fenceErr(err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.GeofenceID] = r.N
	}
	return out, nil
}

// replaceCells rewrites a fence's cells (a fence stored without them, or by an older cover).
func (s *Service) replaceCells(ctx context.Context, id int64, cells []fenceCell) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("geofence_id = ?", id).Delete(&geofenceCellRow{}).Error; err != nil {
			return err
		}
		return insertCells(tx, id, cells)
	})
	return fenceErr(err)
}

// fencesVersion changes whenever a fence is created, changed or deleted (a cheap poll for
// changes made by other instances whose bus message was lost).
func (s *Service) fencesVersion(ctx context.Context) (string, error) {
	var v struct {
		N      int64
		MaxID  *int64
		MaxUpd *string
	}
	err := s.db.WithContext(ctx).Model(&geofenceRow{}).
		Select("COUNT(*) AS n, MAX(id) AS max_id, CAST(MAX(updated_at) AS CHAR) AS max_upd").Scan(&v).Error
	if err != nil {
		return "", fenceErr(err)
	}
	out := fmt.Sprint(v.N)
	if v.MaxID != nil && v.MaxUpd != nil {
		out += fmt.Sprintf(" %d %s", *v.MaxID, *v.MaxUpd)
	}
	return out, nil
}

// vehicleIDExists reports whether the vehicle is on record.
func (s *Service) vehicleIDExists(ctx context.Context, id int64) (bool, error) {
	ok, err := s.vehicleExists(ctx, id)
	if err != nil {
		return false, fmt.Errorf("tracking: vehicle: %w", err)
	}
	return ok, nil
}
