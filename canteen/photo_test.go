package canteen_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"testing"

	"fleet"
	"fleet/canteen"
)

// pngPhoto is a small real PNG.
func pngPhoto(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{200, 40, 40, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDishPhotoUploadIsGuarded(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		d := f.dish("红烧肉", "meat", 8)
		photo := pngPhoto(t)
		up := func(who, name string, body []byte) (*canteen.Dish, error) {
			return f.svc.SetDishPhoto(f.ctx, f.as[who], d.ID, name, bytes.NewReader(body))
		}
		for name, tt := range map[string]struct {
			file string
			body []byte
			code string
		}{
			"a web page named .jpg":  {"menu.jpg", []byte("<html><script>alert(1)</script></html>"), fleet.EInvalid},
			"a PNG named .exe":       {"dish.exe", photo, fleet.EInvalid},
			"a PNG named .jpg":       {"dish.jpg", photo, fleet.EInvalid},
			"empty":                  {"dish.png", nil, fleet.EInvalid},
			"larger than 5 MiB":      {"big.png", append(append([]byte{}, photo...), make([]byte, canteen.MaxPhotoSize)...), fleet.ETooLarge},
			"a name that is not UTF": {"\xff\xfe.png", photo, fleet.EInvalid},
		} {
			_, err := up("chef", tt.file, tt.body)
			if fleet.ErrorCode(err) != tt.code {
				t.Errorf("%s: error %v, want %s", name, err, tt.code)
			}
		}
		_, err := up("li", "dish.png", photo)
		wantCode(t, err, fleet.EForbidden)
		got, _ := f.svc.GetDish(f.ctx, f.as["li"], d.ID)
		if got.PhotoUploaded || got.Photo != "" {
			t.Fatalf("after refused uploads the dish = %+v, want no photo", got)
		}

		got, err = up("chef", `C:\相册\红烧肉.PNG`, photo)
		if err != nil || !got.PhotoUploaded || !strings.HasPrefix(got.Photo, "/api/canteen/dishes/") {
			t.Fatalf("uploaded = %+v, %v", got, err)
		}
		ct, file, err := f.svc.OpenDishPhoto(f.ctx, f.as["li"], d.ID)
		if err != nil || ct != "image/png" {
			t.Fatalf("open photo = %q, %v", ct, err)
		}
		stored, _ := io.ReadAll(file)
		file.Close()
		if !bytes.Equal(stored, photo) {
			t.Error("the stored photo differs from the upload")
		}
		if err := f.svc.RemoveDishPhoto(f.ctx, f.chef(), d.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.svc.OpenDishPhoto(f.ctx, f.as["li"], d.ID)
		wantCode(t, err, fleet.ENotFound)
	})
}
