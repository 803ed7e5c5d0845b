package web

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/canteen"
)

// The canteen (机关食堂): settings, dishes and their photos, the weekly menu and its meals. The
// service checks who may do what; a diner touches only their own booking.

// canteenUploadLimit is the body limit of a dish photo upload.
const canteenUploadLimit = canteen.MaxPhotoSize + 1<<20

func handleCanteenSettings(c *canteen.Service) http.Handler {
	return handleParsed(noQuery, func(ctx context.Context, a *auth.Actor, _ struct{}) (*canteen.Settings, error) {
		return c.GetSettings(ctx, a)
	})
}
func handleCanteenSettingsPut(c *canteen.Service) http.Handler {
	return handleReplace(c.UpdateSettings)
}
func handleCanteenWarnings(c *canteen.Service) http.Handler {
	return handleParsed(noQuery, func(ctx context.Context, a *auth.Actor, _ struct{}) (*canteen.Overview, error) {
		return c.Warnings(ctx, a)
	})
}

// handleCanteenDishList reads ?q=&category=&active=&limit=&offset=.
func handleCanteenDishList(c *canteen.Service) http.Handler {
	return handleList(func(r *http.Request) (canteen.DishQuery, error) {
		page, err := queryPage(r)
		if err != nil {
			return canteen.DishQuery{}, err
		}
		p := fleet.Problems{}
		q := canteen.DishQuery{Page: page, Category: r.URL.Query().Get("category"), Active: optionalBool(p, r, "active")}
		return q, p.Err()
	}, c.ListDishes)
}
func handleCanteenDishCreate(c *canteen.Service) http.Handler { return handleCreate(c.CreateDish) }
func handleCanteenDishGet(c *canteen.Service) http.Handler    { return handleGet(c.GetDish) }
func handleCanteenDishUpdate(c *canteen.Service) http.Handler { return handleUpdate(c.UpdateDish) }
func handleCanteenPhotoDelete(c *canteen.Service) http.Handler {
	return handleDelete(c.RemoveDishPhoto)
}

// handleCanteenPhotoUpload takes a dish photo in the multipart field "file".
func handleCanteenPhotoUpload(c *canteen.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		mr, err := r.MultipartReader()
		if err != nil {
			writeError(w, r, fleet.Invalid(map[string]string{"file": "send multipart/form-data with the photo in the field file"}))
			return
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				writeError(w, r, fleet.Invalid(map[string]string{"file": "required"}))
				return
			}
			if err != nil {
				writeError(w, r, uploadErr(err))
				return
			}
			if part.FormName() != "file" {
				continue
			}
			d, err := c.SetDishPhoto(r.Context(), actor(r), id, part.FileName(), uploadReader{part})
			if err != nil {
				writeError(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, d)
			return
		}
	})
}

// handleCanteenPhoto sends a dish photo as an image that can do nothing but be shown.
func handleCanteenPhoto(c *canteen.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		ct, f, err := c.OpenDishPhoto(r.Context(), actor(r), id)
		if err != nil {
			writeError(w, r, err)
			return
		}
		defer f.Close()
		h := w.Header()
		h.Set("Content-Type", ct)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		h.Set("Cache-Control", "private, max-age=86400") // the address carries the photo's hash
		http.ServeContent(w, r, "", time.Time{}, f)
	})
}

// handleCanteenMenu answers the week holding ?week=YYYY-MM-DD (today's when absent).
func handleCanteenMenu(c *canteen.Service) http.Handler {
	return handleParsed(func(r *http.Request) (string, error) { return r.URL.Query().Get("week"), nil }, c.GetWeek)
}
func handleCanteenPublish(c *canteen.Service) http.Handler { return handleReplace(c.PublishWeek) }

func handleCanteenMealCreate(c *canteen.Service) http.Handler { return handleCreate(c.CreateMeal) }
func handleCanteenMealGet(c *canteen.Service) http.Handler    { return handleGet(c.GetMeal) }
func handleCanteenMealUpdate(c *canteen.Service) http.Handler { return handleUpdate(c.UpdateMeal) }
func handleCanteenMealCancel(c *canteen.Service) http.Handler { return handleUpdate(c.CancelMeal) }
func handleCanteenMealDelete(c *canteen.Service) http.Handler { return handleDelete(c.DeleteMeal) }

// noQuery parses nothing, for reads without parameters.
func noQuery(*http.Request) (struct{}, error) { return struct{}{}, nil }

// queryDays reads ?from=&to= (the service checks them).
func queryDays(r *http.Request) (from, to string) {
	q := r.URL.Query()
	return strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
}
