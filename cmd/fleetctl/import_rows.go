package main

import (
	"strconv"
	"strings"

	"fleet/dispatch"
)

// rowReader turns one file row into service input, collecting the row's parsing problems.
type rowReader struct {
	l     *layout
	units unitSet
	row   sheetRow
	errs  []dispatch.RowError
}

func (rr *rowReader) get(key string) string { return rr.l.get(rr.row, key) }

func (rr *rowReader) bad(key, reason string) {
	rr.errs = append(rr.errs, dispatch.RowError{Line: rr.row.line, Field: key, Reason: reason})
}

// choice reads a coded field (see choice).
func (rr *rowReader) choice(key string, codes []string, names map[string]string, what string) string {
	v := rr.get(key)
	c, ok := choice(v, codes, names)
	if !ok {
		rr.bad(key, "unknown "+what+" "+quote(v))
	}
	return c
}

// unit reads the unit column, a unit's exact name (or id); empty is no unit.
func (rr *rowReader) unit() *int64 {
	v := rr.get("unit")
	if v == "" {
		return nil
	}
	u, err := rr.units.find(v)
	if err != nil {
		rr.bad("unit", "no such unit "+quote(v))
		return nil
	}
	return &u.ID
}

// date reads an optional date column as 2006-01-02.
func (rr *rowReader) date(key string, date1904 bool) string {
	v := rr.get(key)
	if v == "" {
		return ""
	}
	d, err := parseDate(v, date1904)
	if err != nil {
		rr.bad(key, err.Error())
	}
	return d
}

// vehicleRows reads the vehicle rows of s, skipping blank ones. A cell that does not parse is
// left empty in its row and its problem is in errs, so that the service still checks the row's
// other fields.
func vehicleRows(s *sheet, l *layout, units unitSet) (rows []dispatch.Row[dispatch.VehicleInput], errs []dispatch.RowError) {
	for _, r := range s.rows {
		if r.blank() {
			continue
		}
		rr := &rowReader{l: l, units: units, row: r}
		in := dispatch.VehicleInput{
			Plate:         rr.get("plate"),
			Class:         rr.choice("class", dispatch.Classes, classNames, "class"),
			Energy:        rr.choice("energy", dispatch.Energies, energyNames, "energy type"),
			TerminalPhone: digits(rr.get("terminal_phone")),
			UnitID:        rr.unit(),
			Status:        rr.choice("status", dispatch.VehicleStatuses, vehicleStatusNames, "status"),
		}
		if v := rr.get("seats"); v != "" {
			n, err := parseCount(v)
			if err != nil {
				rr.bad("seats", err.Error()+": "+quote(v))
			}
			in.Seats = n
		}
		in.InsuranceExpiry = rr.date("insurance_expiry", s.date1904)
		in.InspectionDue = rr.date("inspection_due", s.date1904)
		if v := rr.get("range_km"); v != "" {
			n, err := parseKm(v)
			if err != nil {
				rr.bad("range_km", err.Error()+": "+quote(v))
			} else {
				in.RangeKm = &n
			}
		}
		in.ParkingName = rr.get("parking")
		pooled, ok := parseYesNo(rr.get("pooled"))
		if !ok {
			rr.bad("pooled", "write 是 or 否, not "+quote(rr.get("pooled")))
		}
		in.Pooled = pooled
		errs = append(errs, rr.errs...)
		rows = append(rows, dispatch.Row[dispatch.VehicleInput]{Line: r.line, Input: in})
	}
	return rows, errs
}

// driverRows is vehicleRows for drivers.
func driverRows(s *sheet, l *layout, units unitSet) (rows []dispatch.Row[dispatch.DriverInput], errs []dispatch.RowError) {
	for _, r := range s.rows {
		if r.blank() {
			continue
		}
		rr := &rowReader{l: l, units: units, row: r}
		in := dispatch.DriverInput{
			Name:         rr.get("name"),
			Phone:        digits(rr.get("phone")),
			LicenseClass: strings.ToUpper(rr.get("license_class")),
			UnitID:       rr.unit(),
			Status:       rr.choice("status", dispatch.DriverStatuses, driverStatusNames, "status"),
		}
		if v := rr.get("license_expiry"); v != "" {
			d, err := parseDate(v, s.date1904)
			if err != nil {
				rr.bad("license_expiry", err.Error())
			}
			in.LicenseExpiry = d
		}
		errs = append(errs, rr.errs...)
		rows = append(rows, dispatch.Row[dispatch.DriverInput]{Line: r.line, Input: in})
	}
	return rows, errs
}

// quote shows a cell's value in a reason, in quotes so that spaces and empty values show.
func quote(v string) string { return strconv.Quote(v) }
