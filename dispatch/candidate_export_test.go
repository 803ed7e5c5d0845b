package dispatch

// ForgetSnapshot makes the next ranking read the fleet again (tests that fill the store after
// the desk started).
func (d *Desk) ForgetSnapshot() { d.forgetSnapshot() }
