package dispatch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"fleet"
	"fleet/store"
)

type requestRow struct {
	ID             int64
	ApplicantID    int64
	UnitID         int64
	Passengers     int
	Purpose        string
	OriginAddress  string
	OriginLat      float64
	OriginLng      float64
	Destinations   string
	DepartAt       time.Time
	ReturnAt       time.Time
	VehicleClass   string
	Priority       string
	Notes          string
	OutsideReason  string
	OutOfArea      bool
	Status         string
	ApprovalID     *int64
	ApprovalStatus string
	MergeID        *int64
	TaskID         *int64
	Stars          *int
	RatingComment  string
	RatedAt        *time.Time
	CancelReason   string
	SubmittedAt    *time.Time
	ApprovedAt     *time.Time
	CompletedAt    *time.Time
	CancelledAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (requestRow) TableName() string { return "vehicle_requests" }

// origin and dests decode the places of the row.
func (r *requestRow) origin() Place {
	lat, lng := r.OriginLat, r.OriginLng
	return Place{Address: r.OriginAddress, Lat: &lat, Lng: &lng}
}

func (r *requestRow) dests() []Place {
	var out []Place
	if err := json.Unmarshal([]byte(r.Destinations), &out); err != nil || out == nil {
		return []Place{}
	}
	return out
}

// lead returns the id of the request's merged trip lead, or its own id.
func (r *requestRow) lead() int64 {
	if r.MergeID != nil {
		return *r.MergeID
	}
	return r.ID
}

func encodePlaces(ps []Place) string {
	b, _ := json.Marshal(ps)
	return string(b)
}

// fillRequestRow copies a validated input into a row.
func fillRequestRow(r *requestRow, in *RequestInput) {
	olat, olng := in.Origin.latLng()
	r.Passengers, r.Purpose, r.Notes, r.OutsideReason = in.Passengers, in.Purpose, in.Notes, in.OutsideReason
	r.OriginAddress, r.OriginLat, r.OriginLng = in.Origin.Address, olat, olng
	r.Destinations = encodePlaces(in.Destinations)
	r.DepartAt, r.ReturnAt = in.depart, in.ret
	r.VehicleClass, r.Priority = in.VehicleClass, in.Priority
}

// dispatchErr maps storage errors to the fleet vocabulary; what names the record.
func dispatchErr(err error, what string) error {
	var fe *fleet.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return err
	case store.IsNotFound(err):
		return fleet.Errorf(fleet.ENotFound, "%s not found", what)
	case store.IsDuplicate(err):
		return fleet.Errorf(fleet.EConflict, "%s already exists", what)
	case isLockConflict(err):
		return fleet.Errorf(fleet.EConflict, "another change to the %s got there first; try again", what)
	}
	return fmt.Errorf("dispatch: %s: %w", what, err)
}

// forUpdate locks the rows a query reads on MySQL; SQLite's write transactions hold the database
// already (BEGIN IMMEDIATE).
func forUpdate(tx *gorm.DB) *gorm.DB {
	if tx.Dialector.Name() == store.MySQL {
		return tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return tx
}

// lockRequest reads a request for update.
func lockRequest(tx *gorm.DB, id int64) (*requestRow, error) {
	var r requestRow
	if err := forUpdate(tx).Take(&r, id).Error; err != nil {
		return nil, dispatchErr(err, "request")
	}
	return &r, nil
}

// lockTrip reads, for update, the requests of the merged trip led by lead (in id order, so two
// transactions lock them in the same order), or the single request.
func lockTrip(tx *gorm.DB, lead int64) ([]requestRow, error) {
	var rows []requestRow
	if err := forUpdate(tx).Where("id = ? OR merge_id = ?", lead, lead).Order("id").Find(&rows).Error; err != nil {
		return nil, dispatchErr(err, "request")
	}
	if len(rows) == 0 {
		return nil, fleet.Errorf(fleet.ENotFound, "request not found")
	}
	return rows, nil
}

func (d *Desk) insertRequest(tx *gorm.DB, r *requestRow) error {
	return dispatchErr(tx.Create(r).Error, "request")
}

// setRequest updates columns of one request.
func setRequest(tx *gorm.DB, id int64, set map[string]any) error {
	return dispatchErr(tx.Model(&requestRow{}).Where("id = ?", id).Updates(set).Error, "request")
}

// setRequests updates columns of several requests.
func setRequests(tx *gorm.DB, ids []int64, set map[string]any) error {
	return dispatchErr(tx.Model(&requestRow{}).Where("id IN ?", ids).Updates(set).Error, "request")
}

// saveRequest writes every column of a request.
func saveRequest(tx *gorm.DB, r *requestRow) error {
	return dispatchErr(tx.Save(r).Error, "request")
}

func getRequestRow(tx *gorm.DB, id int64) (*requestRow, error) {
	var r requestRow
	if err := tx.Take(&r, id).Error; err != nil {
		return nil, dispatchErr(err, "request")
	}
	return &r, nil
}

// RequestFilter narrows ListRequests.
type RequestFilter struct {
	fleet.Page
	Mine     bool     // only the caller's own
	Statuses []string // any of these
	From, To time.Time
	UnitID   int64
}

// listRequestRows returns the rows matching f (scope applied by the caller through unit and
// applicant), newest departure first.
func listRequestRows(tx *gorm.DB, f RequestFilter, applicant, unit int64) ([]requestRow, int64, error) {
	q := tx.Model(&requestRow{})
	if applicant != 0 {
		q = q.Where("applicant_id = ?", applicant)
	}
	if unit != 0 {
		q = q.Where("unit_id = ?", unit)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if !f.From.IsZero() {
		q = q.Where("return_at > ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("depart_at < ?", f.To)
	}
	if f.Query != "" {
		like := store.Like(f.Query)
		q = q.Where("purpose LIKE ? ESCAPE '!' OR origin_address LIKE ? ESCAPE '!' OR destinations LIKE ? ESCAPE '!'", like, like, like)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dispatchErr(err, "request")
	}
	var rows []requestRow
	if err := q.Order("depart_at DESC, id DESC").Limit(f.Limit).Offset(f.Offset).Find(&rows).Error; err != nil {
		return nil, 0, dispatchErr(err, "request")
	}
	return rows, total, nil
}

// requestRowsWhere returns requests matching a condition, by departure.
func requestRowsWhere(tx *gorm.DB, query string, args ...any) ([]requestRow, error) {
	var rows []requestRow
	if err := tx.Where(query, args...).Order("depart_at, id").Find(&rows).Error; err != nil {
		return nil, dispatchErr(err, "request")
	}
	return rows, nil
}

// person is a user's name, phone and unit.
type person struct {
	ID     int64
	Name   string
	Phone  string
	UnitID int64
}

// people returns the users by id, with their names and phones.
func people(tx *gorm.DB, ids []int64) (map[int64]person, error) {
	out := map[int64]person{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []person
	if err := tx.Table("users").Select("id, name, phone, unit_id").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, dispatchErr(err, "user")
	}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// unitNames returns the units' names by id.
func unitNames(tx *gorm.DB, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64
		Name string
	}
	if err := tx.Table("units").Select("id, name").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, dispatchErr(err, "unit")
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// requestViews turns rows into API requests: applicant, unit, and the task's vehicle and driver.
func (d *Desk) requestViews(ctx context.Context, tx *gorm.DB, rows []requestRow) ([]Request, error) {
	var users, units, tasks []int64
	for _, r := range rows {
		users = append(users, r.ApplicantID)
		units = append(units, r.UnitID)
		if r.TaskID != nil {
			tasks = append(tasks, *r.TaskID)
		}
	}
	ppl, err := people(tx, users)
	if err != nil {
		return nil, err
	}
	names, err := unitNames(tx, units)
	if err != nil {
		return nil, err
	}
	briefs, err := taskBriefs(tx, tasks)
	if err != nil {
		return nil, err
	}
	out := make([]Request, len(rows))
	for i := range rows {
		r := &rows[i]
		v := Request{ID: r.ID, Status: r.Status, Priority: r.Priority, ApplicantID: r.ApplicantID,
			Applicant: ppl[r.ApplicantID].Name, ApplicantPhone: ppl[r.ApplicantID].Phone, UnitID: r.UnitID, Unit: names[r.UnitID],
			Passengers: r.Passengers, Purpose: r.Purpose, Origin: r.origin(), Destinations: r.dests(),
			DepartAt: r.DepartAt.UTC(), ReturnAt: r.ReturnAt.UTC(), VehicleClass: r.VehicleClass, Notes: r.Notes,
			OutsideReason: r.OutsideReason, OutOfArea: r.OutOfArea, ApprovalID: r.ApprovalID, ApprovalStatus: r.ApprovalStatus,
			MergeID: r.MergeID, CancelReason: r.CancelReason, SubmittedAt: utcp(r.SubmittedAt), ApprovedAt: utcp(r.ApprovedAt),
			CompletedAt: utcp(r.CompletedAt), CancelledAt: utcp(r.CancelledAt), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
		if r.TaskID != nil {
			if b, ok := briefs[*r.TaskID]; ok {
				v.Task = &b
			}
		}
		if r.Stars != nil && r.RatedAt != nil {
			v.Rating = &Rating{Stars: *r.Stars, Comment: r.RatingComment, At: r.RatedAt.UTC()}
		}
		out[i] = v
	}
	return out, nil
}

func utcp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
