package lap

// PadAlways makes the solver pad every rectangular problem to square, so that the tests cover
// that path on every small shape; the func it returns restores the default.
func PadAlways() (restore func()) {
	old := padRatio
	padRatio = 0
	return func() { padRatio = old }
}
