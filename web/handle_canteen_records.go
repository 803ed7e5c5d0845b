package web

import (
	"context"
	"net/http"

	"fleet"
	"fleet/auth"
	"fleet/canteen"
)

// The canteen's records: waste and the quarterly evaluation, the food-safety records (samples,
// suppliers, purchase inspections, hygiene checks), and the monthly workbook.

func handleCanteenWasteRecord(c *canteen.Service) http.Handler { return handleUpdate(c.RecordWaste) }

// handleCanteenWaste answers the waste of ?from=&to= by meal and week.
func handleCanteenWaste(c *canteen.Service) http.Handler {
	return handleParsed(func(r *http.Request) (canteen.WasteQuery, error) {
		from, to := queryDays(r)
		return canteen.WasteQuery{From: from, To: to}, nil
	}, c.WasteTrend)
}

func handleCanteenEvaluations(c *canteen.Service) http.Handler {
	return handleParsed(noQuery, func(ctx context.Context, a *auth.Actor, _ struct{}) (*canteen.Evaluations, error) {
		return c.ListEvaluations(ctx, a)
	})
}
func handleCanteenEvaluationCreate(c *canteen.Service) http.Handler {
	return handleCreate(c.RecordEvaluation)
}
func handleCanteenEvaluationUpdate(c *canteen.Service) http.Handler {
	return handleUpdate(c.UpdateEvaluation)
}

// handleCanteenSamples reads ?from=&to=&open=.
func handleCanteenSamples(c *canteen.Service) http.Handler {
	return handleList(func(r *http.Request) (canteen.SampleQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return canteen.SampleQuery{}, err
		}
		p := fleet.Problems{}
		from, to := queryDays(r)
		return canteen.SampleQuery{Page: page, From: from, To: to, Open: officeTrue(optionalBool(p, r, "open"))}, p.Err()
	}, c.ListSamples)
}
func handleCanteenSampleCreate(c *canteen.Service) http.Handler { return handleCreate(c.RecordSample) }
func handleCanteenSampleDiscard(c *canteen.Service) http.Handler {
	return handleUpdate(c.DiscardSample)
}

func handleCanteenSuppliers(c *canteen.Service) http.Handler {
	return handleList(queryPage, c.ListSuppliers)
}
func handleCanteenSupplierCreate(c *canteen.Service) http.Handler {
	return handleCreate(c.CreateSupplier)
}
func handleCanteenSupplierUpdate(c *canteen.Service) http.Handler {
	return handleUpdate(c.UpdateSupplier)
}

// handleCanteenPurchases reads ?supplier_id=&from=&to=&result=.
func handleCanteenPurchases(c *canteen.Service) http.Handler {
	return handleList(func(r *http.Request) (canteen.PurchaseQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return canteen.PurchaseQuery{}, err
		}
		p := fleet.Problems{}
		from, to := queryDays(r)
		q := canteen.PurchaseQuery{Page: page, SupplierID: optionalID(p, r, "supplier_id"), From: from, To: to, Result: r.URL.Query().Get("result")}
		return q, p.Err()
	}, c.ListPurchases)
}
func handleCanteenPurchaseCreate(c *canteen.Service) http.Handler {
	return handleCreate(c.RecordPurchase)
}

func handleCanteenHygiene(c *canteen.Service) http.Handler {
	return handleList(queryPage, c.ListHygieneChecks)
}
func handleCanteenHygieneCreate(c *canteen.Service) http.Handler {
	return handleCreate(c.RecordHygieneCheck)
}

// handleCanteenReport sends the workbook of ?month=YYYY-MM.
func handleCanteenReport(c *canteen.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, name, err := c.MonthlyXLSX(r.Context(), actor(r), r.URL.Query().Get("month"))
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeWorkbook(w, name, b)
	})
}
