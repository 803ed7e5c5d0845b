package procurement

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"fleet"
)

func goodInput() Input {
	return Input{Kind: KindGoods, Title: "打印机", Reason: "办公室打印机损坏",
		Items: []ItemInput{{Name: "激光打印机", Quantity: 2, UnitPrice: 1999.5}}}
}

func TestInputValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(in *Input)
		field  string // "" for valid
	}{
		{"valid goods", func(in *Input) {}, ""},
		{"no kind", func(in *Input) { in.Kind = "" }, "kind"},
		{"unknown kind", func(in *Input) { in.Kind = "weapons" }, "kind"},
		{"no title", func(in *Input) { in.Title = "  " }, "title"},
		{"title too long", func(in *Input) { in.Title = strings.Repeat("长", 101) }, "title"},
		{"title with a control character", func(in *Input) { in.Title = "a\x00b" }, "title"},
		{"reason too long", func(in *Input) { in.Reason = strings.Repeat("理", 2001) }, "reason"},
		{"reason may hold lines", func(in *Input) { in.Reason = "第一行\n第二行" }, ""},
		{"no items", func(in *Input) { in.Items = nil }, "items"},
		{"too many items", func(in *Input) {
			in.Items = make([]ItemInput, MaxItems+1)
			for i := range in.Items {
				in.Items[i] = ItemInput{Name: "x", Quantity: 1, UnitPrice: 1}
			}
		}, "items"},
		{"negative quantity", func(in *Input) { in.Items[0].Quantity = -1 }, "items[0].quantity"},
		{"zero quantity", func(in *Input) { in.Items[0].Quantity = 0 }, "items[0].quantity"},
		{"absurd quantity", func(in *Input) { in.Items[0].Quantity = 2e6 }, "items[0].quantity"},
		{"negative price", func(in *Input) { in.Items[0].UnitPrice = -5 }, "items[0].unit_price"},
		{"absurd price", func(in *Input) { in.Items[0].UnitPrice = 2e9 }, "items[0].unit_price"},
		{"a tenth of a fen", func(in *Input) { in.Items[0].UnitPrice = 1.001 }, "items[0].unit_price"},
		{"line over a billion", func(in *Input) { in.Items[0].Quantity, in.Items[0].UnitPrice = 1000, 2e6 }, "items[0].amount"},
		{"total over a billion", func(in *Input) {
			in.Items = []ItemInput{{Name: "a", Quantity: 1, UnitPrice: 6e8}, {Name: "b", Quantity: 1, UnitPrice: 6e8}}
		}, "items"},
		{"wrong amount sent", func(in *Input) { in.Items[0].Amount = ptr(1.0) }, "items[0].amount"},
		{"right amount sent", func(in *Input) { in.Items[0].Amount = ptr(3999.0) }, ""},
		{"item without a name", func(in *Input) { in.Items[0].Name = "" }, "items[0].name"},
		{"vehicle on goods", func(in *Input) { in.Vehicle = &VehicleInput{Class: "general"} }, "vehicle"},
		{"vehicle kind without vehicle", func(in *Input) { in.Kind = KindVehicleAddition }, "vehicle"},
		{"renewal without the replaced vehicle", func(in *Input) {
			in.Kind, in.Vehicle = KindVehicleRenewal, &VehicleInput{Class: "general", Price: 150000, Energy: "electric"}
		}, "vehicle.replaces_vehicle_id"},
		{"addition naming a replaced vehicle", func(in *Input) {
			in.Kind, in.Vehicle = KindVehicleAddition, &VehicleInput{Class: "general", Price: 150000, Energy: "electric", ReplacesVehicleID: ptr(int64(3))}
		}, "vehicle.replaces_vehicle_id"},
		{"unknown class", func(in *Input) {
			in.Kind, in.Vehicle = KindVehicleAddition, &VehicleInput{Class: "tank", Price: 150000, Energy: "electric"}
		}, "vehicle.class"},
		{"unknown energy", func(in *Input) {
			in.Kind, in.Vehicle = KindVehicleAddition, &VehicleInput{Class: "general", Price: 150000, Energy: "coal"}
		}, "vehicle.energy"},
		{"petrol without displacement", func(in *Input) {
			in.Kind, in.Vehicle = KindVehicleAddition, &VehicleInput{Class: "general", Price: 150000, Energy: "gasoline"}
		}, "vehicle.displacement_l"},
		{"electric with displacement", func(in *Input) {
			in.Kind, in.Vehicle = KindVehicleAddition, &VehicleInput{Class: "general", Price: 150000, Energy: "electric", DisplacementL: ptr(1.5)}
		}, "vehicle.displacement_l"},
		{"negative vehicle price", func(in *Input) {
			in.Kind, in.Vehicle = KindVehicleAddition, &VehicleInput{Class: "general", Price: -1, Energy: "electric"}
		}, "vehicle.price"},
		{"unknown body", func(in *Input) {
			in.Kind, in.Vehicle = KindVehicleAddition, &VehicleInput{Class: "general", Price: 150000, Energy: "electric", Body: "tank"}
		}, "vehicle.body"},
		{"valid renewal", func(in *Input) {
			in.Kind, in.Vehicle = KindVehicleRenewal, &VehicleInput{Class: "general", Price: 150000, Energy: "gasoline", DisplacementL: ptr(1.5), ReplacesVehicleID: ptr(int64(3))}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := goodInput()
			tt.change(&in)
			err := in.validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("validate = %v, want nil", err)
				}
				return
			}
			var fe *fleet.Error
			if err == nil || !errorsAs(err, &fe) || fe.Fields[tt.field] == "" {
				t.Fatalf("validate = %v, want a problem with %s", err, tt.field)
			}
		})
	}
}

func TestInputAmounts(t *testing.T) {
	in := goodInput()
	in.Items = append(in.Items, ItemInput{Name: "硒鼓", Quantity: 3, UnitPrice: 0.1})
	if err := in.validate(); err != nil {
		t.Fatal(err)
	}
	if in.amountFen != 399900+30 {
		t.Errorf("amount = %d fen, want 399930", in.amountFen)
	}
	if *goodVehicle().MakeDomestic != true || goodVehicle().Body != BodySedan {
		t.Error("vehicle defaults: make_domestic true, body sedan")
	}
}

func goodVehicle() *VehicleInput {
	in := Input{Kind: KindVehicleAddition, Title: "t", Reason: "r", Items: []ItemInput{{Name: "车", Quantity: 1, UnitPrice: 1}},
		Vehicle: &VehicleInput{Class: "general", Price: 150000, Energy: "electric"}}
	in.validate()
	return in.Vehicle
}

func errorsAs(err error, fe **fleet.Error) bool {
	e, ok := err.(*fleet.Error)
	*fe = e
	return ok
}

func zipWith(names ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, _ := zw.Create(n)
		fmt.Fprint(w, "<x/>")
	}
	zw.Close()
	return buf.Bytes()
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name    string
		content []byte
		want    string // content type, "" refused
	}{
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), typePDF.contentType},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}, typeJPEG.contentType},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), typePNG.contentType},
		{"xlsx", zipWith("[Content_Types].xml", "xl/workbook.xml"), typeXLSX.contentType},
		{"docx", zipWith("[Content_Types].xml", "word/document.xml"), typeDOCX.contentType},
		{"plain zip", zipWith("a.txt"), ""},
		{"html", []byte("<!DOCTYPE html><script>alert(1)</script>"), ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), ""},
		{"text", []byte("hello"), ""},
		{"exe", []byte("MZ\x90\x00\x03"), ""},
		{"pdf inside html", []byte("<html>%PDF-1.7</html>"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := tt.content
			if len(head) > 512 {
				head = head[:512]
			}
			ft, err := sniff(head, bytes.NewReader(tt.content), int64(len(tt.content)))
			if tt.want == "" {
				if err == nil {
					t.Fatalf("sniff = %s, want refused", ft.contentType)
				}
				return
			}
			if err != nil || ft.contentType != tt.want {
				t.Fatalf("sniff = %q, %v; want %s", ft.contentType, err, tt.want)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct {
		name, raw string
		ft        fileType
		want      string // "" refused
	}{
		{"plain", "报价单.pdf", typePDF, "报价单.pdf"},
		{"upper-case extension", "SCAN.PDF", typePDF, "SCAN.pdf"},
		{"jpeg as jpg", "photo.jpeg", typeJPEG, "photo.jpeg"},
		{"no extension gets one", "报价单", typePDF, "报价单.pdf"},
		{"unix traversal", "../../etc/passwd.pdf", typePDF, "passwd.pdf"},
		{"windows path", `C:\fakepath\..\quote.pdf`, typePDF, "quote.pdf"},
		{"dot dot only", "..", typePDF, "附件.pdf"},
		{"control characters", "a\x00b\r\nc.pdf", typePDF, "abc.pdf"},
		{"bidi override", "invoice\u202Efdp.exe", typePDF, ""}, // shows as invoiceexe.pdf; the real extension is .exe
		{"bidi override hidden", "quote\u202E.pdf", typePDF, "quote.pdf"},
		{"reserved characters", `a<b>:"c|?*.pdf`, typePDF, "a_b___c___.pdf"},
		{"trailing dots and spaces", "quote.pdf. . ", typePDF, "quote.pdf"},
		{"disguised: html content named .pdf is refused by sniff; png named .pdf here", "quote.pdf", typePNG, ""},
		{"invalid utf-8", "quote\xff.pdf", typePDF, ""},
		{"overlong utf-8 slash", "..\xc0\xaf..\xc0\xafpasswd.pdf", typePDF, ""},
		{"decomposed to NFC", "cafe\u0301.pdf", typePDF, "café.pdf"},
		{"very long", strings.Repeat("长", 300) + ".pdf", typePDF, strings.Repeat("长", maxNameLen-4) + ".pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cleanName(tt.raw, tt.ft)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("cleanName(%q) = %q, want refused", tt.raw, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("cleanName(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
			}
		})
	}
}
