package procurement

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"fleet"
	"fleet/dispatch"
	"fleet/store"
)

type requestRow struct {
	ID                   int64
	UnitID               int64
	ApplicantID          int64
	Kind                 string
	Title                string
	Reason               string
	Justification        string
	AmountFen            int64
	Status               string
	ApprovalID           *int64
	VehicleClass         string
	VehicleEnergy        string
	VehicleBody          string
	VehicleDisplacementL *float64
	VehiclePriceFen      *int64
	VehicleDomestic      *bool
	VehicleLeaderFixed   bool
	ReplacesVehicleID    *int64
	Checks               string
	ChecksFailed         int
	Year                 int
	SubmittedAt          time.Time
	DecidedAt            *time.Time
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

func (requestRow) TableName() string { return "procurements" }

// requestView is a request row with the names lists and the summary show.
type requestView struct {
	Row           requestRow `gorm:"embedded"` // named: gorm skips an unexported embedded type
	UnitName      string
	ApplicantName string
	ReplacesPlate *string
}

type itemRow struct {
	ID            int64
	ProcurementID int64
	Line          int
	Name          string
	Quantity      float64
	UnitPriceFen  int64
	AmountFen     int64
}

func (itemRow) TableName() string { return "procurement_items" }

type attachmentRow struct {
	ID            int64
	ProcurementID int64
	Name          string
	Size          int64
	SHA256        string `gorm:"column:sha256"`
	ContentType   string
	UploadedBy    int64
	CreatedAt     time.Time
}

func (attachmentRow) TableName() string { return "procurement_attachments" }

func (r *attachmentRow) attachment() Attachment {
	return Attachment{ID: r.ID, Name: r.Name, Size: r.Size, SHA256: r.SHA256, ContentType: r.ContentType, UploadedBy: r.UploadedBy, CreatedAt: r.CreatedAt}
}

type standardRow struct {
	ID        int64
	Province  string
	Rule      string
	Class     string
	Body      string
	Value     float64
	Enabled   bool
	Source    string
	UpdatedBy *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (standardRow) TableName() string { return "vehicle_standards" }

// rowOf is the row of a validated input (the caller sets who, the status and the ids).
func rowOf(in *Input, checks []Check, year int, now time.Time) *requestRow {
	js, _ := json.Marshal(checks)
	r := &requestRow{Kind: in.Kind, Title: in.Title, Reason: in.Reason, Justification: in.Justification,
		AmountFen: in.amountFen, Checks: string(js), ChecksFailed: failed(checks), Year: year, SubmittedAt: now, UpdatedAt: now}
	if v := in.Vehicle; v != nil && VehicleKind(in.Kind) {
		price := yuanToFen(v.Price)
		r.VehicleClass, r.VehicleEnergy, r.VehicleBody = v.Class, v.Energy, v.Body
		r.VehicleDisplacementL, r.VehiclePriceFen, r.VehicleDomestic = v.DisplacementL, &price, v.MakeDomestic
		r.VehicleLeaderFixed, r.ReplacesVehicleID = v.ForLeaderFixed, v.ReplacesVehicleID
	}
	return r
}

// procurement turns a view into the record (without items and attachments).
func (v *requestView) procurement() *Procurement {
	r := &v.Row
	p := &Procurement{ID: r.ID, Kind: r.Kind, Title: r.Title, Reason: r.Reason, Justification: r.Justification,
		UnitID: r.UnitID, Unit: v.UnitName, ApplicantID: r.ApplicantID, Applicant: v.ApplicantName, Status: r.Status,
		Amount: fenToYuan(r.AmountFen), ChecksFailed: r.ChecksFailed, Year: r.Year, SubmittedAt: r.SubmittedAt,
		DecidedAt: r.DecidedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Items: []Item{}, Attachments: []Attachment{}}
	if r.ApprovalID != nil {
		p.ApprovalID = *r.ApprovalID
	}
	if err := json.Unmarshal([]byte(r.Checks), &p.Checks); err != nil || p.Checks == nil {
		p.Checks = []Check{}
	}
	if VehicleKind(r.Kind) {
		veh := &Vehicle{Class: r.VehicleClass, DisplacementL: r.VehicleDisplacementL, Energy: r.VehicleEnergy, Body: r.VehicleBody,
			ForLeaderFixed: r.VehicleLeaderFixed, ReplacesVehicleID: r.ReplacesVehicleID, MakeDomestic: r.VehicleDomestic == nil || *r.VehicleDomestic}
		if r.VehiclePriceFen != nil {
			veh.Price = fenToYuan(*r.VehiclePriceFen)
		}
		if v.ReplacesPlate != nil {
			veh.ReplacesPlate = *v.ReplacesPlate
		}
		p.Vehicle = veh
	}
	return p
}

func (v *requestView) brief() Brief {
	p := v.procurement()
	return Brief{ID: p.ID, Kind: p.Kind, Title: p.Title, UnitID: p.UnitID, Unit: p.Unit, ApplicantID: p.ApplicantID,
		Applicant: p.Applicant, Status: p.Status, ApprovalID: p.ApprovalID, Amount: p.Amount, ChecksFailed: p.ChecksFailed,
		SubmittedAt: p.SubmittedAt, DecidedAt: p.DecidedAt}
}

// tx runs fn in a transaction and maps its error.
func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return dbErr(s.db.WithContext(ctx).Transaction(fn), "")
}

// dbErr maps gorm's errors to the fleet vocabulary; what names the record for "not found".
func dbErr(err error, what string) error {
	var fe *fleet.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return err
	case store.IsNotFound(err):
		if what == "" {
			what = "record"
		}
		return fleet.Errorf(fleet.ENotFound, "%s not found", what)
	case store.IsDuplicate(err):
		return fleet.Errorf(fleet.EConflict, "already exists")
	}
	return fmt.Errorf("procurement: %w", err)
}

// lockingClause locks the rows read in a transaction on MySQL; SQLite's write transactions
// already hold the database lock (BEGIN IMMEDIATE).
func lockingClause(tx *gorm.DB) []clause.Expression {
	if tx.Dialector.Name() == "mysql" {
		return []clause.Expression{clause.Locking{Strength: "UPDATE"}}
	}
	return nil
}

func insertRequest(ctx context.Context, tx *gorm.DB, r *requestRow, items []itemFen) error {
	if err := tx.WithContext(ctx).Create(r).Error; err != nil {
		return err
	}
	return insertItems(ctx, tx, r.ID, items)
}

func replaceRequest(ctx context.Context, tx *gorm.DB, r *requestRow, items []itemFen) error {
	if err := tx.WithContext(ctx).Save(r).Error; err != nil {
		return err
	}
	if err := tx.WithContext(ctx).Where("procurement_id = ?", r.ID).Delete(&itemRow{}).Error; err != nil {
		return err
	}
	return insertItems(ctx, tx, r.ID, items)
}

func insertItems(ctx context.Context, tx *gorm.DB, id int64, items []itemFen) error {
	rows := make([]itemRow, len(items))
	for i, it := range items {
		rows[i] = itemRow{ProcurementID: id, Line: i + 1, Name: it.name, Quantity: it.quantity, UnitPriceFen: it.unitPrice, AmountFen: it.amount}
	}
	return tx.WithContext(ctx).Create(&rows).Error
}

func lockRequest(ctx context.Context, tx *gorm.DB, id int64) (*requestRow, error) {
	var r requestRow
	if err := tx.WithContext(ctx).Clauses(lockingClause(tx)...).Take(&r, id).Error; err != nil {
		return nil, dbErr(err, "procurement request")
	}
	return &r, nil
}

func setApproval(ctx context.Context, tx *gorm.DB, id, approvalID int64, status string) error {
	return tx.WithContext(ctx).Model(&requestRow{}).Where("id = ?", id).
		Updates(map[string]any{"approval_id": approvalID, "status": status}).Error
}

// setStatus mirrors an instance's status on its request.
func setStatus(ctx context.Context, tx *gorm.DB, id int64, status string, decided *time.Time, now time.Time) error {
	return tx.WithContext(ctx).Model(&requestRow{}).Where("id = ?", id).
		Updates(map[string]any{"status": status, "decided_at": decided, "updated_at": now}).Error
}

// replacedVehicle reads the vehicle a renewal replaces, with its tracked mileage.
func replacedVehicle(ctx context.Context, tx *gorm.DB, id int64) (*ReplacedVehicle, error) {
	var v struct {
		ID           int64
		Plate        string
		RegisteredOn *time.Time
		OdometerKm   *float64
	}
	err := tx.WithContext(ctx).Table("vehicles").Select("id, plate, registered_on, odometer_km").Where("id = ?", id).Take(&v).Error
	if store.IsNotFound(err) {
		return nil, fleet.Invalid(map[string]string{"vehicle.replaces_vehicle_id": "no such vehicle"})
	}
	if err != nil {
		return nil, err
	}
	var km float64
	if err := tx.WithContext(ctx).Table("vehicle_days").Select("COALESCE(SUM(distance_km), 0)").
		Where("vehicle_id = ?", id).Scan(&km).Error; err != nil {
		return nil, err
	}
	return &ReplacedVehicle{ID: v.ID, Plate: v.Plate, RegisteredOn: v.RegisteredOn, OdometerKm: v.OdometerKm, TrackedKm: km}, nil
}

// openRenewalOf returns another renewal request of the vehicle that is not finished against it
// (pending, returned or approved), or 0.
func openRenewalOf(ctx context.Context, tx *gorm.DB, vehicleID, self int64) (int64, error) {
	var ids []int64
	err := tx.WithContext(ctx).Model(&requestRow{}).
		Where("kind = ? AND replaces_vehicle_id = ? AND status IN ? AND id <> ?", KindVehicleRenewal, vehicleID,
			[]string{StatusPending, StatusReturned, StatusApproved}, self).
		Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

// approvedVehicles counts the year's approved vehicle requests and the new-energy ones among them.
func approvedVehicles(ctx context.Context, tx *gorm.DB, year int, self int64) (total, ne int, err error) {
	var c struct{ Total, NE int }
	err = tx.WithContext(ctx).Model(&requestRow{}).
		Select("COUNT(*) AS total, COALESCE(SUM(CASE WHEN vehicle_energy IN ? THEN 1 ELSE 0 END), 0) AS ne",
			[]string{dispatch.EnergyElectric, dispatch.EnergyPluginHybrid}).
		Where("year = ? AND status = ? AND kind IN ? AND id <> ?", year, StatusApproved,
			[]string{KindVehicleRenewal, KindVehicleAddition}, self).
		Scan(&c).Error
	return c.Total, c.NE, err
}

// viewQuery selects requests with their unit, applicant and replaced vehicle's plate.
func viewQuery(db *gorm.DB) *gorm.DB {
	return db.Table("procurements").
		Select("procurements.*, units.name AS unit_name, users.name AS applicant_name, vehicles.plate AS replaces_plate").
		Joins("JOIN units ON units.id = procurements.unit_id").
		Joins("JOIN users ON users.id = procurements.applicant_id").
		Joins("LEFT JOIN vehicles ON vehicles.id = procurements.replaces_vehicle_id")
}

// get reads a request with its items and attachments.
func (s *Service) get(ctx context.Context, id int64) (*Procurement, error) {
	db := s.db.WithContext(ctx)
	var v requestView
	if err := viewQuery(db).Where("procurements.id = ?", id).Take(&v).Error; err != nil {
		return nil, dbErr(err, "procurement request")
	}
	p := v.procurement()
	var items []itemRow
	if err := db.Where("procurement_id = ?", id).Order("line").Find(&items).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, it := range items {
		p.Items = append(p.Items, Item{Name: it.Name, Quantity: it.Quantity, UnitPrice: fenToYuan(it.UnitPriceFen), Amount: fenToYuan(it.AmountFen)})
	}
	var atts []attachmentRow
	if err := db.Where("procurement_id = ?", id).Order("id").Find(&atts).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for i := range atts {
		p.Attachments = append(p.Attachments, atts[i].attachment())
	}
	return p, nil
}

// filtered applies a list or summary filter.
func filtered(q *gorm.DB, f filter) *gorm.DB {
	switch {
	case f.Kind == "vehicle":
		q = q.Where("procurements.kind IN ?", []string{KindVehicleRenewal, KindVehicleAddition})
	case f.Kind != "":
		q = q.Where("procurements.kind = ?", f.Kind)
	}
	if f.Status != "" {
		q = q.Where("procurements.status = ?", f.Status)
	}
	if f.UnitID != 0 {
		q = q.Where("procurements.unit_id = ?", f.UnitID)
	}
	if !f.From.IsZero() {
		q = q.Where("procurements.submitted_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("procurements.submitted_at < ?", f.To.UTC())
	}
	if f.Query != "" {
		q = q.Where("procurements.title LIKE ? ESCAPE '!'", store.Like(f.Query))
	}
	return q
}

func (s *Service) list(ctx context.Context, userID int64, f filter) ([]Brief, int64, error) {
	q := filtered(viewQuery(s.db.WithContext(ctx)), f)
	if f.Mine {
		q = q.Where("procurements.applicant_id = ?", userID)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var views []requestView
	if err := q.Order("procurements.id DESC").Limit(f.Limit).Offset(f.Offset).Find(&views).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	out := make([]Brief, len(views))
	for i := range views {
		out[i] = views[i].brief()
	}
	return out, total, nil
}

// summaryRows reads at most limit requests of a period, oldest first.
func (s *Service) summaryRows(ctx context.Context, f filter, limit int) ([]Procurement, error) {
	var views []requestView
	err := filtered(viewQuery(s.db.WithContext(ctx)), f).Order("procurements.submitted_at, procurements.id").Limit(limit).Find(&views).Error
	if err != nil {
		return nil, dbErr(err, "")
	}
	out := make([]Procurement, len(views))
	for i := range views {
		out[i] = *views[i].procurement()
	}
	return out, nil
}

// Standards.

func listStandards(ctx context.Context, db *gorm.DB) ([]Standard, error) {
	var rows []standardRow
	if err := db.WithContext(ctx).Order("province, rule, class, body").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Standard, len(rows))
	for i, r := range rows {
		out[i] = Standard{ID: r.ID, Province: r.Province, Rule: r.Rule, Name: ruleNames[r.Rule], Class: r.Class, Body: r.Body,
			Value: r.Value, Enabled: r.Enabled, Source: r.Source, UpdatedAt: r.UpdatedAt}
	}
	return out, nil
}

func standardRows(set []Standard, by *int64, now time.Time) []standardRow {
	rows := make([]standardRow, len(set))
	for i, st := range set {
		rows[i] = standardRow{Province: st.Province, Rule: st.Rule, Class: st.Class, Body: st.Body, Value: st.Value,
			Enabled: st.Enabled, Source: st.Source, UpdatedBy: by, CreatedAt: now, UpdatedAt: now}
	}
	return rows
}

// seedStandards stores set when the table is empty. Two instances starting together may both
// try: the unique key lets one of them win, and the other's duplicate is no error.
func (s *Service) seedStandards(ctx context.Context, set []Standard, now time.Time) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&standardRow{}).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		rows := standardRows(set, nil, now)
		return tx.Create(&rows).Error
	})
	if store.IsDuplicate(err) {
		return nil
	}
	return dbErr(err, "")
}

// replaceStandards stores set in place of the whole table.
func (s *Service) replaceStandards(ctx context.Context, set []Standard, by int64, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("1 = 1").Delete(&standardRow{}).Error; err != nil {
			return err
		}
		rows := standardRows(set, &by, now)
		return tx.Create(&rows).Error
	})
}

// Attachments.

func countAttachments(ctx context.Context, tx *gorm.DB, id int64) (int64, error) {
	var n int64
	err := tx.WithContext(ctx).Model(&attachmentRow{}).Where("procurement_id = ?", id).Count(&n).Error
	return n, err
}

func insertAttachment(ctx context.Context, tx *gorm.DB, r *attachmentRow) error {
	return tx.WithContext(ctx).Create(r).Error
}

// attachmentOwner is an attachment with what deciding who may download it needs.
type attachmentOwner struct {
	Row         attachmentRow `gorm:"embedded"`
	ApplicantID int64
	ApprovalID  *int64
}

func (s *Service) getAttachment(ctx context.Context, id int64) (*attachmentOwner, error) {
	var r attachmentOwner
	err := s.db.WithContext(ctx).Table("procurement_attachments").
		Select("procurement_attachments.*, procurements.applicant_id, procurements.approval_id").
		Joins("JOIN procurements ON procurements.id = procurement_attachments.procurement_id").
		Where("procurement_attachments.id = ?", id).Take(&r).Error
	if err != nil {
		return nil, dbErr(err, "attachment")
	}
	return &r, nil
}
