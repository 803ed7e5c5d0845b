package auth

import (
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Password length bounds. bcrypt reads at most 72 bytes, so longer ones are refused rather than cut.
const (
	MinPasswordLen   = 8  // characters
	MaxPasswordBytes = 72 // bytes
)

// checkPassword returns the problem with a new password, or "".
func checkPassword(pw string) string {
	switch {
	case pw == "":
		return "required"
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return "must be at least 8 characters"
	case len(pw) > MaxPasswordBytes:
		return "must be at most 72 bytes"
	case !utf8.ValidString(pw):
		return "must be valid UTF-8"
	}
	return ""
}

// hashPassword hashes pw with bcrypt at the given cost.
func hashPassword(pw string, cost int) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	return string(h), err
}

// passwordMatches reports whether pw matches the bcrypt hash.
func passwordMatches(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}
