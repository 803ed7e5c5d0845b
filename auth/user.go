package auth

import (
	"regexp"
	"strings"
	"time"

	"fleet"
)

// User is a person who signs in. The password hash never leaves the package.
type User struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Name      string    `json:"name"`
	Phone     string    `json:"phone"`
	UnitID    int64     `json:"unit_id"`
	UnitName  string    `json:"unit_name"`
	Role      string    `json:"role"`
	Rank      string    `json:"rank"` // 职级 code (county_chief … clerk); "" when not set
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// UserInput creates a user (Password required) or changes one (Password ignored; see SetPassword).
type UserInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	Role     string `json:"role"`
	UnitID   int64  `json:"unit_id"`
	// Rank is the 职级 the office standards read: one of the ranks the standards table knows
	// (county_chief, county_deputy, section_chief, section_deputy, clerk as seeded). Nil keeps
	// the current rank (an update that does not name it), "" clears it.
	Rank *string `json:"rank"`
}

var (
	usernameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$`)
	phoneRE    = regexp.MustCompile(`^\+?[0-9][0-9 -]{4,30}$`)
)

// validate trims the input and returns its problems. Creating needs the username and password;
// an update may leave either empty to keep it.
func (in *UserInput) validate(creating bool) error {
	p := fleet.Problems{}
	// Usernames are case-insensitive: stored lower-case, so the unique index covers every spelling.
	in.Username = strings.ToLower(p.Text("username", in.Username, creating, 64))
	if _, bad := p["username"]; !bad && (creating || in.Username != "") && !usernameRE.MatchString(in.Username) {
		p.Add("username", "2 to 64 letters, digits, dot, dash or underscore, starting with a letter or digit")
	}
	in.Name = p.Text("name", in.Name, true, 100)
	in.Phone = p.Text("phone", in.Phone, false, 32)
	if in.Phone != "" && !phoneRE.MatchString(in.Phone) {
		p.Add("phone", "must be a phone number")
	}
	if in.Role == "" {
		p.Add("role", "required")
	} else if !ValidRole(in.Role) {
		p.Add("role", "unknown role")
	}
	if in.UnitID <= 0 {
		p.Add("unit_id", "required")
	}
	if in.Rank != nil {
		r := p.Text("rank", *in.Rank, false, 32)
		in.Rank = &r
	}
	if creating || in.Password != "" {
		if msg := checkPassword(in.Password); msg != "" {
			p.Add("password", msg)
		}
	}
	return p.Err()
}
