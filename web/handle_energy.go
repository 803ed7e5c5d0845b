package web

import (
	"context"
	"net/http"
	"strconv"

	"fleet"
	"fleet/auth"
	"fleet/energy"
)

// Energy (公共机构节能): meters, readings (the monitoring system's ingest too), the monthly and
// yearly statistics, the report workbook, coefficients and settings, saving-type agencies and
// projects. The service checks the unit scope.

// handleEnergyMeterList reads ?unit_id=&building_id=&kind=&status=&q=&limit=&offset=.
func handleEnergyMeterList(e *energy.Service) http.Handler {
	return handleList(func(r *http.Request) (energy.MeterQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return energy.MeterQuery{}, err
		}
		p := fleet.Problems{}
		q := r.URL.Query()
		mq := energy.MeterQuery{Page: page, UnitID: optionalID(p, r, "unit_id"), BuildingID: optionalID(p, r, "building_id"),
			Kind: q.Get("kind"), Status: q.Get("status")}
		return mq, p.Err()
	}, e.ListMeters)
}

// handleEnergyReadingList reads ?meter_id=&unit_id=&status=&from=&to=&limit=&offset=.
func handleEnergyReadingList(e *energy.Service) http.Handler {
	return handleList(func(r *http.Request) (energy.ReadingQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return energy.ReadingQuery{}, err
		}
		p := fleet.Problems{}
		q := r.URL.Query()
		rq := energy.ReadingQuery{Page: page, MeterID: optionalID(p, r, "meter_id"), UnitID: optionalID(p, r, "unit_id"),
			Status: q.Get("status"), From: q.Get("from"), To: q.Get("to")}
		return rq, p.Err()
	}, e.ListReadings)
}

// handleEnergyReadings takes a batch {"readings":[{meter_id, at, value}]}: 201 when it stored
// anything new, 200 when every reading was there already (a batch sent again).
func handleEnergyReadings(e *energy.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in energy.ReadingBatch
		if err := decode(r, &in); err != nil {
			writeError(w, r, err)
			return
		}
		out, err := e.AddReadings(r.Context(), actor(r), in)
		if err != nil {
			writeError(w, r, err)
			return
		}
		status := http.StatusOK
		if out.Stored+out.Flagged > 0 {
			status = http.StatusCreated
		}
		writeJSON(w, status, out)
	})
}

func reportQuery(r *http.Request) (energy.ReportQuery, error) {
	p := fleet.Problems{}
	q := energy.ReportQuery{Month: r.URL.Query().Get("month"), UnitID: optionalID(p, r, "unit_id")}
	if q.Month == "" {
		p.Add("month", "required: a month as YYYY-MM")
	}
	return q, p.Err()
}

func handleEnergyReport(e *energy.Service) http.Handler {
	return handleParsed(reportQuery, e.MonthReport)
}

// handleEnergyReportXLSX sends the monthly report workbook of ?month=.
func handleEnergyReportXLSX(e *energy.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := reportQuery(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		b, name, err := e.MonthXLSX(r.Context(), actor(r), q)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeWorkbook(w, name, b)
	})
}

type yearQuery struct {
	year int
	unit int64
}

// handleEnergyYear reads ?year=&unit_id=.
func handleEnergyYear(e *energy.Service) http.Handler {
	return handleParsed(func(r *http.Request) (yearQuery, error) {
		p := fleet.Problems{}
		q := yearQuery{unit: optionalID(p, r, "unit_id")}
		y, err := strconv.Atoi(r.URL.Query().Get("year"))
		if err != nil {
			p.Add("year", "required: a year such as 2025")
		}
		q.year = y
		return q, p.Err()
	}, func(ctx context.Context, a *auth.Actor, q yearQuery) (*energy.YearReport, error) {
		return e.YearReport(ctx, a, q.year, q.unit)
	})
}

// handleEnergyTrend reads ?from=YYYY-MM&to=YYYY-MM&unit_id= and answers {"items":[…]}.
func handleEnergyTrend(e *energy.Service) http.Handler {
	return handleParsed(func(r *http.Request) (energy.TrendQuery, error) {
		p := fleet.Problems{}
		q := r.URL.Query()
		return energy.TrendQuery{From: q.Get("from"), To: q.Get("to"), UnitID: optionalID(p, r, "unit_id")}, p.Err()
	}, func(ctx context.Context, a *auth.Actor, q energy.TrendQuery) (any, error) {
		items, err := e.Trend(ctx, a, q)
		return map[string]any{"items": items}, err
	})
}

// energyNoQuery is the parse of a read that takes no parameters.
func energyNoQuery(*http.Request) (struct{}, error) { return struct{}{}, nil }

// energyItems wraps a list read as {"items":[…]}.
func energyItems[T any](call func(context.Context, *auth.Actor) ([]T, error)) func(context.Context, *auth.Actor, struct{}) (any, error) {
	return func(ctx context.Context, a *auth.Actor, _ struct{}) (any, error) {
		items, err := call(ctx, a)
		if items == nil {
			items = []T{}
		}
		return map[string]any{"items": items}, err
	}
}

// energyItemsAfter wraps a list update as {"items":[…]}.
func energyItemsAfter[In, T any](call func(context.Context, *auth.Actor, In) ([]T, error)) func(context.Context, *auth.Actor, In) (any, error) {
	return func(ctx context.Context, a *auth.Actor, in In) (any, error) {
		items, err := call(ctx, a, in)
		return map[string]any{"items": items}, err
	}
}

func handleEnergyCoefficients(e *energy.Service) http.Handler {
	return handleParsed(energyNoQuery, energyItems(e.Coefficients))
}
func handleEnergyCoefficientsPut(e *energy.Service) http.Handler {
	return handleReplace(energyItemsAfter(e.UpdateCoefficients))
}
func handleEnergyCO2(e *energy.Service) http.Handler {
	return handleParsed(energyNoQuery, energyItems(e.CO2Factors))
}
func handleEnergyCO2Put(e *energy.Service) http.Handler {
	return handleReplace(energyItemsAfter(e.UpdateCO2Factors))
}
func handleEnergySettings(e *energy.Service) http.Handler {
	return handleParsed(energyNoQuery, func(ctx context.Context, a *auth.Actor, _ struct{}) (*energy.Settings, error) {
		return e.Settings(ctx, a)
	})
}
func handleEnergySettingsPut(e *energy.Service) http.Handler {
	return handleReplace(e.UpdateSettings)
}
func handleEnergyUnits(e *energy.Service) http.Handler {
	return handleParsed(energyNoQuery, energyItems(e.Bases))
}
func handleEnergyBuildings(e *energy.Service) http.Handler {
	return handleParsed(energyNoQuery, energyItems(e.Buildings))
}
func handleEnergyCriteria(e *energy.Service) http.Handler {
	return handleParsed(energyNoQuery, energyItems(e.Criteria))
}
func handleEnergyCriteriaPut(e *energy.Service) http.Handler {
	return handleReplace(energyItemsAfter(e.UpdateCriteria))
}
func handleEnergyProjects(e *energy.Service) http.Handler {
	return handleParsed(energyNoQuery, energyItems(e.Projects))
}

// handleEnergyAgencies answers {"items":[…], "summary":{…}}.
func handleEnergyAgencies(e *energy.Service) http.Handler {
	return handleParsed(energyNoQuery, func(ctx context.Context, a *auth.Actor, _ struct{}) (any, error) {
		items, sum, err := e.Agencies(ctx, a)
		return map[string]any{"items": items, "summary": sum}, err
	})
}
