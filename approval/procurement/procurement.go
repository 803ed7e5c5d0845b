// Package procurement holds purchase requests (采购申请): their items, the vehicle standards a
// vehicle request is checked against, attachments and the summary sent upward; each request is
// signed off by an approval instance.
package procurement

import (
	"fmt"
	"math"
	"strings"
	"time"

	"fleet"
	"fleet/dispatch"
)

// Kinds of request.
const (
	KindVehicleRenewal  = "vehicle_renewal"  // 更新: a new vehicle replaces one that leaves service
	KindVehicleAddition = "vehicle_addition" // 新增
	KindGoods           = "goods"
	KindServices        = "services"
)

// Kinds lists the kinds of request.
var Kinds = []string{KindVehicleRenewal, KindVehicleAddition, KindGoods, KindServices}

// VehicleKind reports whether a kind buys a vehicle (and so has a vehicle spec and is checked
// against the vehicle standards).
func VehicleKind(kind string) bool { return kind == KindVehicleRenewal || kind == KindVehicleAddition }

// Statuses mirror the request's approval instance.
const (
	StatusPending   = "pending"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
	StatusReturned  = "returned"
	StatusWithdrawn = "withdrawn"
)

// Statuses lists the statuses.
var Statuses = []string{StatusPending, StatusApproved, StatusRejected, StatusReturned, StatusWithdrawn}

// Body types of a vehicle, as the standards tell them apart: the 2017 rules set limits for 轿车
// (sedan), 其他小型客车 (SUV, MPV and other small passenger cars), 中型/大型客车 (bus); 越野车 (off-road)
// may never be a leader's fixed car.
const (
	BodySedan   = "sedan"
	BodySUV     = "suv"
	BodyOffroad = "offroad"
	BodyMPV     = "mpv"
	BodyBus     = "bus"
	BodyOther   = "other"
)

// Bodies lists the body types.
var Bodies = []string{BodySedan, BodySUV, BodyOffroad, BodyMPV, BodyBus, BodyOther}

// Limits of a request. Money is in yuan at the edge and whole fen (分) inside.
const (
	MaxItems       = 200
	MaxQuantity    = 1e6
	MaxAmount      = 1e9 // yuan: a line, and the whole request
	MaxVehicleCost = 1e8 // yuan: no official vehicle costs more
	MaxDisplaceL   = 20.0
	maxTitle       = 100
	maxText        = 2000
	maxItemName    = 100
)

// Procurement is a purchase request with its items, vehicle, checks and attachments.
type Procurement struct {
	ID            int64        `json:"id"`
	Kind          string       `json:"kind"`
	Title         string       `json:"title"`
	Reason        string       `json:"reason"`
	Justification string       `json:"justification"`
	UnitID        int64        `json:"unit_id"`
	Unit          string       `json:"unit"`
	ApplicantID   int64        `json:"applicant_id"`
	Applicant     string       `json:"applicant"`
	Status        string       `json:"status"`
	ApprovalID    int64        `json:"approval_id"`
	Amount        float64      `json:"amount"` // yuan
	Items         []Item       `json:"items"`
	Vehicle       *Vehicle     `json:"vehicle"`
	Checks        []Check      `json:"checks"`
	ChecksFailed  int          `json:"checks_failed"`
	Attachments   []Attachment `json:"attachments"`
	Year          int          `json:"year"` // the county's calendar year of the last submit
	SubmittedAt   time.Time    `json:"submitted_at"`
	DecidedAt     *time.Time   `json:"decided_at"`
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
}

// Item is one line of a request.
type Item struct {
	Name      string  `json:"name"`
	Quantity  float64 `json:"quantity"`
	UnitPrice float64 `json:"unit_price"` // yuan
	Amount    float64 `json:"amount"`     // yuan, quantity × unit price
}

// Vehicle is what a vehicle request buys.
type Vehicle struct {
	Class             string   `json:"class"`
	DisplacementL     *float64 `json:"displacement_l"` // null for an electric vehicle
	Price             float64  `json:"price"`          // yuan
	Energy            string   `json:"energy"`
	Body              string   `json:"body"`
	MakeDomestic      bool     `json:"make_domestic"`
	ForLeaderFixed    bool     `json:"for_leader_fixed"`
	ReplacesVehicleID *int64   `json:"replaces_vehicle_id"`
	ReplacesPlate     string   `json:"replaces_plate,omitempty"`
}

// Input files or revises a request. Amount of an item may be sent; it must then equal quantity ×
// unit price.
type Input struct {
	Kind          string        `json:"kind"`
	Title         string        `json:"title"`
	Reason        string        `json:"reason"`
	Justification string        `json:"justification"`
	Items         []ItemInput   `json:"items"`
	Vehicle       *VehicleInput `json:"vehicle"`

	items     []itemFen // normalized by validate
	amountFen int64
}

// ItemInput is one line as sent.
type ItemInput struct {
	Name      string   `json:"name"`
	Quantity  float64  `json:"quantity"`
	UnitPrice float64  `json:"unit_price"`
	Amount    *float64 `json:"amount"`
}

// VehicleInput is the vehicle as sent. Body defaults to sedan, MakeDomestic to true (the
// applicant states otherwise when the make is foreign).
type VehicleInput struct {
	Class             string   `json:"class"`
	DisplacementL     *float64 `json:"displacement_l"`
	Price             float64  `json:"price"`
	Energy            string   `json:"energy"`
	Body              string   `json:"body"`
	MakeDomestic      *bool    `json:"make_domestic"`
	ForLeaderFixed    bool     `json:"for_leader_fixed"`
	ReplacesVehicleID *int64   `json:"replaces_vehicle_id"`
}

type itemFen struct {
	name      string
	quantity  float64
	unitPrice int64 // fen
	amount    int64 // fen
}

// validate trims and checks the input, computes the amounts, and returns the problems named by
// field ("items[2].quantity", "vehicle.price").
func (in *Input) validate() error {
	p := fleet.Problems{}
	in.Kind = strings.TrimSpace(in.Kind)
	switch {
	case in.Kind == "":
		p.Add("kind", "required")
	case !oneOf(in.Kind, Kinds):
		p.Add("kind", "must be one of vehicle_renewal, vehicle_addition, goods, services")
	}
	in.Title = p.Text("title", in.Title, true, maxTitle)
	in.Reason = multiline(p, "reason", in.Reason, true, maxText)
	in.Justification = multiline(p, "justification", in.Justification, false, maxText)

	in.items, in.amountFen = nil, 0
	switch {
	case len(in.Items) == 0:
		p.Add("items", "at least one item is required")
	case len(in.Items) > MaxItems:
		p.Add("items", fmt.Sprintf("at most %d items", MaxItems))
	default:
		for i := range in.Items {
			it, ok := in.Items[i].check(p, fmt.Sprintf("items[%d]", i))
			if ok {
				in.items = append(in.items, it)
				in.amountFen += it.amount
			}
		}
		if len(in.items) == len(in.Items) && in.amountFen > yuanToFen(MaxAmount) {
			p.Add("items", fmt.Sprintf("the total %s yuan is more than %s yuan", formatYuan(fenToYuan(in.amountFen)), formatYuan(MaxAmount)))
		}
	}

	switch {
	case VehicleKind(in.Kind) && in.Vehicle == nil:
		p.Add("vehicle", "required for a vehicle request")
	case !VehicleKind(in.Kind) && in.Vehicle != nil && in.Kind != "":
		p.Add("vehicle", "only for vehicle_renewal and vehicle_addition")
	case in.Vehicle != nil && VehicleKind(in.Kind):
		in.Vehicle.check(p, in.Kind)
	}
	return p.Err()
}

func (it *ItemInput) check(p fleet.Problems, field string) (itemFen, bool) {
	bad := len(p)
	name := p.Text(field+".name", it.Name, true, maxItemName)
	q := it.Quantity
	switch {
	case !finite(q) || q <= 0:
		p.Add(field+".quantity", "must be more than 0")
	case q > MaxQuantity:
		p.Add(field+".quantity", "must be at most 1,000,000")
	case math.Abs(q*1000-math.Round(q*1000)) > 1e-6:
		p.Add(field+".quantity", "at most 3 decimals")
	}
	u := it.UnitPrice
	switch {
	case !finite(u) || u <= 0:
		p.Add(field+".unit_price", "must be more than 0 yuan")
	case u > MaxAmount:
		p.Add(field+".unit_price", "must be at most 1,000,000,000 yuan")
	case !wholeFen(u):
		p.Add(field+".unit_price", "at most 2 decimals (fen)")
	}
	if len(p) > bad {
		return itemFen{}, false
	}
	unit := yuanToFen(u)
	amount := int64(math.Round(q * float64(unit)))
	if amount > yuanToFen(MaxAmount) {
		p.Add(field+".amount", fmt.Sprintf("quantity × unit price is %s yuan, more than %s yuan", formatYuan(fenToYuan(amount)), formatYuan(MaxAmount)))
		return itemFen{}, false
	}
	if it.Amount != nil && (!finite(*it.Amount) || yuanToFen(*it.Amount) != amount) {
		p.Add(field+".amount", fmt.Sprintf("must equal quantity × unit price (%s)", formatYuan(fenToYuan(amount))))
		return itemFen{}, false
	}
	return itemFen{name: name, quantity: q, unitPrice: unit, amount: amount}, true
}

func (v *VehicleInput) check(p fleet.Problems, kind string) {
	v.Class = strings.TrimSpace(v.Class)
	switch {
	case v.Class == "":
		p.Add("vehicle.class", "required")
	case !oneOf(v.Class, dispatch.Classes):
		p.Add("vehicle.class", "must be one of confidential_comm, emergency, law_enforcement, special_technical, general")
	}
	v.Energy = strings.TrimSpace(v.Energy)
	switch {
	case v.Energy == "":
		p.Add("vehicle.energy", "required")
	case !oneOf(v.Energy, dispatch.Energies):
		p.Add("vehicle.energy", "must be one of gasoline, diesel, electric, hybrid, plugin_hybrid")
	}
	v.Body = strings.TrimSpace(v.Body)
	if v.Body == "" {
		v.Body = BodySedan
	} else if !oneOf(v.Body, Bodies) {
		p.Add("vehicle.body", "must be one of sedan, suv, offroad, mpv, bus, other")
	}
	switch {
	case !finite(v.Price) || v.Price <= 0:
		p.Add("vehicle.price", "must be more than 0 yuan")
	case v.Price > MaxVehicleCost:
		p.Add("vehicle.price", "must be at most 100,000,000 yuan")
	case !wholeFen(v.Price):
		p.Add("vehicle.price", "at most 2 decimals (fen)")
	}
	if d := v.DisplacementL; d != nil {
		switch {
		case !finite(*d) || *d < 0 || *d > MaxDisplaceL:
			p.Add("vehicle.displacement_l", "must be between 0 and 20 litres")
		case v.Energy == dispatch.EnergyElectric && *d != 0:
			p.Add("vehicle.displacement_l", "an electric vehicle has no displacement; leave it out")
		case *d == 0 && v.Energy != dispatch.EnergyElectric:
			v.DisplacementL = nil
		}
	}
	if v.Energy != "" && v.Energy != dispatch.EnergyElectric && v.DisplacementL == nil {
		if _, bad := p["vehicle.displacement_l"]; !bad {
			p.Add("vehicle.displacement_l", "required for a vehicle with an engine (litres)")
		}
	}
	if v.Energy == dispatch.EnergyElectric {
		v.DisplacementL = nil
	}
	switch {
	case kind == KindVehicleRenewal && v.ReplacesVehicleID == nil:
		p.Add("vehicle.replaces_vehicle_id", "required for a renewal: the vehicle that leaves service")
	case kind == KindVehicleRenewal && *v.ReplacesVehicleID <= 0:
		p.Add("vehicle.replaces_vehicle_id", "must be a vehicle id")
	case kind == KindVehicleAddition && v.ReplacesVehicleID != nil:
		p.Add("vehicle.replaces_vehicle_id", "only for a renewal")
	}
	if v.MakeDomestic == nil {
		t := true
		v.MakeDomestic = &t
	}
}

// multiline is fleet.Problems.Text for free text that may hold line breaks and tabs.
func multiline(p fleet.Problems, field, value string, required bool, max int) string {
	flat := strings.NewReplacer("\r\n", "  ", "\n", " ", "\t", " ").Replace(value)
	p.Text(field, flat, required, max)
	if _, bad := p[field]; bad {
		return strings.TrimSpace(value)
	}
	return strings.TrimSpace(strings.ReplaceAll(value, "\r\n", "\n"))
}

// yuanToFen converts yuan to whole fen, rounding half away from zero.
func yuanToFen(y float64) int64 { return int64(math.Round(y * 100)) }

// fenToYuan converts fen to yuan.
func fenToYuan(f int64) float64 { return float64(f) / 100 }

// wholeFen reports whether a yuan amount has at most two decimals.
func wholeFen(y float64) bool { return math.Abs(y*100-math.Round(y*100)) < 1e-6 }

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// formatYuan writes a yuan amount with thousands separators, and fen only when there are any:
// 120,000 or 1,234.50.
func formatYuan(y float64) string {
	f := yuanToFen(y)
	neg := f < 0
	if neg {
		f = -f
	}
	whole, fen := f/100, f%100
	s := groupThousands(whole)
	if fen != 0 {
		s += fmt.Sprintf(".%02d", fen)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// formatNumber writes a number with thousands separators and at most one decimal: 250,000 or 8.5.
func formatNumber(v float64) string {
	r := math.Round(v*10) / 10
	whole := int64(r)
	s := groupThousands(whole)
	if d := int64(math.Round((r - float64(whole)) * 10)); d != 0 {
		s += fmt.Sprintf(".%d", d)
	}
	return s
}

func groupThousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
