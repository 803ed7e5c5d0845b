package main

import (
	"bufio"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"strings"
)

// password returns the password to set: the flag's value when given, else the first line of
// stdin (so `echo "$PW" | fleetctl user add ...` keeps it out of the process list), else — stdin
// empty or a terminal — a generated one, with generated true so that it is printed once.
func (c *cli) password(flagValue string) (pw string, generated bool, err error) {
	if flagValue != "" {
		return flagValue, false, nil
	}
	line, err := firstLine(c.stdin)
	if err != nil {
		return "", false, err
	}
	if line != "" {
		return line, false, nil
	}
	return rand.Text(), true, nil // 26 characters of base32, 130 bits
}

// firstLine reads the first line of r without its line end; a terminal is not read (nobody is
// typing into a prompt that was never shown).
func firstLine(r io.Reader) (string, error) {
	if r == nil {
		return "", nil
	}
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice != 0 {
			return "", nil
		}
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
