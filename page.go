package fleet

// Page is a window of a list, with an optional free-text filter.
type Page struct {
	Limit  int
	Offset int
	Query  string
}

// Normalize bounds the window: 50 rows by default, at most 500.
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = 50
	}
	if p.Limit > 500 {
		p.Limit = 500
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}
