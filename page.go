package fleet

// Page is a window of a list, with an optional free-text filter.
type Page struct {
	Limit  int
	Offset int
	Query  string
}

// MaxLimit is the most rows one page holds: a county's whole fleet, so a console lists it in one call.
const MaxLimit = 1000

// Normalize bounds the window: 50 rows by default, at most MaxLimit.
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = 50
	}
	if p.Limit > MaxLimit {
		p.Limit = MaxLimit
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}
