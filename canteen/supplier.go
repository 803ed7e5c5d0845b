package canteen

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Suppliers of food and ingredients, with their licence (食品经营许可证 or business licence),
// and the inspection of each delivery (进货查验): certificates seen, the result, who checked.

// Warnings of suppliers and purchases.
const (
	WarnLicenseExpired    = "license_expired"
	WarnLicenseExpiring   = "license_expiring" // within LicenseWarnDays
	WarnNoCertificate     = "no_certificate"
	WarnRejected          = "rejected"
	WarnSupplierUnlicense = "supplier_license_expired" // the licence had expired on the day of delivery
)

// LicenseWarnDays is how early a supplier's licence expiry is warned of.
const LicenseWarnDays = 30

// Purchase results.
const (
	Accepted = "accepted"
	Rejected = "rejected"
)

// Supplier is a food supplier.
type Supplier struct {
	ID            int64    `json:"id"`
	Name          string   `json:"name"`
	LicenseNo     string   `json:"license_no"`
	LicenseExpiry string   `json:"license_expiry"` // "" when the licence does not expire
	Contact       string   `json:"contact"`
	Phone         string   `json:"phone"`
	Goods         string   `json:"goods"`
	Active        bool     `json:"active"`
	Note          string   `json:"note"`
	Warnings      []string `json:"warnings"`
}

// SupplierInput creates or replaces a supplier.
type SupplierInput struct {
	Name          string `json:"name"`
	LicenseNo     string `json:"license_no"`
	LicenseExpiry string `json:"license_expiry"`
	Contact       string `json:"contact"`
	Phone         string `json:"phone"`
	Goods         string `json:"goods"`
	Note          string `json:"note"`
	Active        *bool  `json:"active"`
}

func (in *SupplierInput) check() error {
	p := fleet.Problems{}
	in.Name = p.Text("name", in.Name, true, 100)
	in.LicenseNo = p.Text("license_no", in.LicenseNo, true, 64)
	checkDate(p, "license_expiry", &in.LicenseExpiry, false)
	in.Contact = p.Text("contact", in.Contact, false, 100)
	in.Phone = p.Text("phone", in.Phone, false, 32)
	in.Goods = p.Text("goods", in.Goods, false, 255)
	in.Note = p.Text("note", in.Note, false, 1000)
	return p.Err()
}

func (in *SupplierInput) apply(r *supplierRow, now time.Time) {
	r.Name, r.LicenseNo, r.LicenseExpiry, r.Contact, r.Phone, r.Goods, r.Note = in.Name, in.LicenseNo, in.LicenseExpiry, in.Contact, in.Phone, in.Goods, in.Note
	r.Active, r.UpdatedAt = in.Active == nil || *in.Active, now
}

// CreateSupplier adds a supplier; names are unique.
func (s *Service) CreateSupplier(ctx context.Context, a *auth.Actor, in SupplierInput) (*Supplier, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	now := s.now()
	r := &supplierRow{CreatedAt: now}
	in.apply(r, now)
	if err := insert(s.read(ctx), r); err != nil {
		return nil, supplierConflict(err)
	}
	out := r.view(s.today(now))
	return &out, nil
}

// UpdateSupplier replaces a supplier's fields.
func (s *Service) UpdateSupplier(ctx context.Context, a *auth.Actor, id int64, in SupplierInput) (*Supplier, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	now := s.now()
	var out Supplier
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var r supplierRow
		if err := take(tx, &r, id, true, "supplier"); err != nil {
			return err
		}
		in.apply(&r, now)
		if err := save(tx, &r); err != nil {
			return supplierConflict(err)
		}
		out = r.view(s.today(now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListSuppliers returns the suppliers, active first, by name.
func (s *Service) ListSuppliers(ctx context.Context, a *auth.Actor, q fleet.Page) ([]Supplier, int64, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, 0, err
	}
	rows, total, err := listSuppliers(s.read(ctx), q.Normalize())
	if err != nil {
		return nil, 0, err
	}
	today := s.today(s.now())
	out := make([]Supplier, len(rows))
	for i := range rows {
		out[i] = rows[i].view(today)
	}
	return out, total, nil
}

func (r *supplierRow) view(today string) Supplier {
	v := Supplier{ID: r.ID, Name: r.Name, LicenseNo: r.LicenseNo, LicenseExpiry: r.LicenseExpiry, Contact: r.Contact, Phone: r.Phone,
		Goods: r.Goods, Active: r.Active, Note: r.Note, Warnings: []string{}}
	switch {
	case r.LicenseExpiry == "":
	case r.LicenseExpiry < today:
		v.Warnings = append(v.Warnings, WarnLicenseExpired)
	case r.LicenseExpiry <= addDays(today, LicenseWarnDays):
		v.Warnings = append(v.Warnings, WarnLicenseExpiring)
	}
	return v
}

func supplierConflict(err error) error {
	if fleet.ErrorCode(err) == fleet.EConflict {
		return &fleet.Error{Code: fleet.EConflict, Message: "a supplier of this name exists already", Fields: map[string]string{"name": "taken"}}
	}
	return err
}

// Purchase is one inspected delivery.
type Purchase struct {
	ID          int64     `json:"id"`
	SupplierID  int64     `json:"supplier_id"`
	Supplier    string    `json:"supplier"`
	ReceivedOn  string    `json:"received_on"`
	Item        string    `json:"item"`
	Quantity    string    `json:"quantity"`
	Batch       string    `json:"batch"`
	ExpiresOn   string    `json:"expires_on"`
	Certificate bool      `json:"certificate"`
	Result      string    `json:"result"`
	Inspector   string    `json:"inspector"`
	Note        string    `json:"note"`
	Warnings    []string  `json:"warnings"`
	CreatedAt   time.Time `json:"created_at"`
}

// PurchaseInput records a delivery's inspection.
type PurchaseInput struct {
	SupplierID  int64  `json:"supplier_id"`
	ReceivedOn  string `json:"received_on"`
	Item        string `json:"item"`
	Quantity    string `json:"quantity"`
	Batch       string `json:"batch"`
	ExpiresOn   string `json:"expires_on"`
	Certificate bool   `json:"certificate"`
	Result      string `json:"result"`
	Inspector   string `json:"inspector"`
	Note        string `json:"note"`
}

func (in *PurchaseInput) check(today string) error {
	p := fleet.Problems{}
	if in.SupplierID <= 0 {
		p.Add("supplier_id", "required")
	}
	if d := checkDate(p, "received_on", &in.ReceivedOn, true); !d.IsZero() && in.ReceivedOn > today {
		p.Add("received_on", "must not be in the future")
	}
	in.Item = p.Text("item", in.Item, true, 100)
	in.Quantity = p.Text("quantity", in.Quantity, false, 32)
	in.Batch = p.Text("batch", in.Batch, false, 64)
	checkDate(p, "expires_on", &in.ExpiresOn, false)
	if !oneOf(in.Result, []string{Accepted, Rejected}) {
		p.Add("result", "must be accepted or rejected")
	}
	if in.Result == Accepted && in.ExpiresOn != "" && in.ReceivedOn != "" && in.ExpiresOn < in.ReceivedOn {
		p.Add("expires_on", "expired before delivery: such goods are rejected")
	}
	in.Inspector = p.Text("inspector", in.Inspector, true, 100)
	in.Note = p.Text("note", in.Note, false, 1000)
	if in.Result == Rejected && in.Note == "" {
		p.Add("note", "required: why the delivery was rejected")
	}
	return p.Err()
}

// RecordPurchase records a delivery's inspection.
func (s *Service) RecordPurchase(ctx context.Context, a *auth.Actor, in PurchaseInput) (*Purchase, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	now := s.now()
	if err := in.check(s.today(now)); err != nil {
		return nil, err
	}
	row := &purchaseRow{SupplierID: in.SupplierID, ReceivedOn: in.ReceivedOn, Item: in.Item, Quantity: in.Quantity, Batch: in.Batch,
		ExpiresOn: in.ExpiresOn, Certificate: in.Certificate, Result: in.Result, Inspector: in.Inspector, Note: in.Note,
		RecordedBy: ptr(a.UserID), CreatedAt: now}
	var sup supplierRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := take(tx, &sup, in.SupplierID, false, "supplier"); err != nil {
			if fleet.ErrorCode(err) == fleet.ENotFound {
				return fleet.Invalid(map[string]string{"supplier_id": "no such supplier"})
			}
			return err
		}
		if !sup.Active {
			return fleet.Invalid(map[string]string{"supplier_id": fmt.Sprintf("%s is no longer a supplier", sup.Name)})
		}
		return insert(tx, row)
	})
	if err != nil {
		return nil, err
	}
	out := row.view(map[int64]supplierRow{sup.ID: sup})
	return &out, nil
}

// PurchaseQuery narrows ListPurchases; From and To are delivery days.
type PurchaseQuery struct {
	fleet.Page
	SupplierID int64
	From, To   string
	Result     string
}

// ListPurchases returns the inspected deliveries, newest first.
func (s *Service) ListPurchases(ctx context.Context, a *auth.Actor, q PurchaseQuery) ([]Purchase, int64, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, 0, err
	}
	if err := checkRange(&q.From, &q.To); err != nil {
		return nil, 0, err
	}
	if q.Result != "" && !oneOf(q.Result, []string{Accepted, Rejected}) {
		return nil, 0, fleet.Invalid(map[string]string{"result": "must be accepted or rejected"})
	}
	q.Page = q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listPurchases(db, q)
	if err != nil {
		return nil, 0, err
	}
	var ids []int64
	for _, r := range rows {
		ids = append(ids, r.SupplierID)
	}
	sups, err := suppliersByID(db, ids)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Purchase, len(rows))
	for i := range rows {
		out[i] = rows[i].view(sups)
	}
	return out, total, nil
}

func (r *purchaseRow) view(sups map[int64]supplierRow) Purchase {
	sup := sups[r.SupplierID]
	v := Purchase{ID: r.ID, SupplierID: r.SupplierID, Supplier: sup.Name, ReceivedOn: r.ReceivedOn, Item: r.Item, Quantity: r.Quantity,
		Batch: r.Batch, ExpiresOn: r.ExpiresOn, Certificate: r.Certificate, Result: r.Result, Inspector: r.Inspector, Note: r.Note,
		Warnings: []string{}, CreatedAt: r.CreatedAt.UTC()}
	if r.Result == Rejected {
		v.Warnings = append(v.Warnings, WarnRejected)
	}
	if r.Result == Accepted && !r.Certificate {
		v.Warnings = append(v.Warnings, WarnNoCertificate)
	}
	if sup.LicenseExpiry != "" && sup.LicenseExpiry < r.ReceivedOn {
		v.Warnings = append(v.Warnings, WarnSupplierUnlicense)
	}
	return v
}
