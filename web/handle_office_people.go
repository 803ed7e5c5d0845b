package web

import (
	"net/http"

	"fleet"
	"fleet/office"
)

// handleOfficePeople reads ?unit_id=&q=&limit=&offset= and lists whom rooms may be assigned to,
// with their rank (the console's person picker; the user list itself is the admin's).
func handleOfficePeople(o *office.Service) http.Handler {
	return handleList(func(r *http.Request) (office.CandidateQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return office.CandidateQuery{}, err
		}
		p := fleet.Problems{}
		q := office.CandidateQuery{Page: page, UnitID: optionalID(p, r, "unit_id")}
		return q, p.Err()
	}, o.Candidates)
}
