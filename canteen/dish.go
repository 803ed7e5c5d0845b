package canteen

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"fleet"
)

// Categories of dish, in the order a menu lists them.
var Categories = []string{"staple", "meat", "half_meat", "vegetable", "soup", "porridge", "snack", "fruit", "drink"}

// Allergens are the common allergen groups named on Chinese food labels (GB 7718): cereals
// containing gluten, crustaceans, fish, eggs, peanuts, soy, milk and tree nuts; sesame besides.
var Allergens = []string{"gluten", "crustacean", "fish", "egg", "peanut", "soy", "milk", "nut", "sesame"}

// Dish is a dish the canteen cooks. Photo is the address to show (the uploaded photo, else the
// outside link PhotoURL); Price in yuan.
type Dish struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	Category      string    `json:"category"`
	Allergens     []string  `json:"allergens"`
	Price         float64   `json:"price"`
	Photo         string    `json:"photo"`
	PhotoURL      string    `json:"photo_url"`
	PhotoUploaded bool      `json:"photo_uploaded"`
	Note          string    `json:"note"`
	Active        bool      `json:"active"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// DishInput creates or replaces a dish (the uploaded photo is sent on its own).
type DishInput struct {
	Name      string   `json:"name"`
	Category  string   `json:"category"`
	Allergens []string `json:"allergens"`
	Price     *float64 `json:"price"`
	PhotoURL  string   `json:"photo_url"`
	Note      string   `json:"note"`
	Active    *bool    `json:"active"` // default true
}

// check validates the input in place.
func (in *DishInput) check() error {
	p := fleet.Problems{}
	in.Name = p.Text("name", in.Name, true, 100)
	if !oneOf(in.Category, Categories) {
		p.Add("category", "must be one of "+strings.Join(Categories, ", "))
	}
	seen := map[string]bool{}
	clean := []string{}
	for i, al := range in.Allergens {
		switch {
		case !oneOf(al, Allergens):
			p.Add(fmt.Sprintf("allergens[%d]", i), "must be one of "+strings.Join(Allergens, ", "))
		case !seen[al]:
			seen[al] = true
			clean = append(clean, al)
		}
	}
	sort.Slice(clean, func(i, j int) bool { return indexOf(Allergens, clean[i]) < indexOf(Allergens, clean[j]) })
	in.Allergens = clean
	if in.Price == nil {
		p.Add("price", "required: the price in yuan (0 for a free dish)")
	} else if *in.Price < 0 || *in.Price > 1000 {
		p.Add("price", "must be 0 to 1000 yuan")
	}
	in.PhotoURL = p.Text("photo_url", in.PhotoURL, false, 500)
	if in.PhotoURL != "" && !webAddress(in.PhotoURL) {
		p.Add("photo_url", "must be an http:// or https:// address")
	}
	in.Note = p.Text("note", in.Note, false, 1000)
	return p.Err()
}

// webAddress reports whether s is an absolute http(s) URL with a host (no javascript:, data:).
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return len(list)
}

func (r *dishRow) dish() Dish {
	d := Dish{ID: r.ID, Name: r.Name, Category: r.Category, Allergens: splitList(r.Allergens), Price: fenToYuan(r.PriceFen),
		PhotoURL: r.PhotoURL, PhotoUploaded: r.PhotoSHA != "", Note: r.Note, Active: r.Active, UpdatedAt: r.UpdatedAt.UTC()}
	switch {
	case r.PhotoSHA != "":
		// The hash in the address makes a new photo a new address for the browser's cache.
		d.Photo = fmt.Sprintf("/api/canteen/dishes/%d/photo?v=%s", r.ID, r.PhotoSHA[:12])
	default:
		d.Photo = r.PhotoURL
	}
	return d
}

func splitList(s string) []string {
	out := []string{}
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
