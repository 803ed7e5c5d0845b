package wsload

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Login signs in at base and returns the bearer token (apiload signs in with it too).
func Login(ctx context.Context, hc *http.Client, base, username, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/login", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	var out struct{ Token string }
	if err := do(hc, req, &out); err != nil {
		return "", fmt.Errorf("wsload: login at %s: %w", base, err)
	}
	if out.Token == "" {
		return "", fmt.Errorf("wsload: login at %s: no token in the answer", base)
	}
	return out.Token, nil
}

// vehiclePhones returns every vehicle's terminal phone (leading zeros stripped) by vehicle id.
func vehiclePhones(ctx context.Context, hc *http.Client, base, token string) (map[int64]string, error) {
	const limit = 500 // the API's largest page
	phones := map[int64]string{}
	for offset := 0; ; offset += limit {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/api/vehicles?limit=%d&offset=%d", base, limit, offset), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		var page struct {
			Items []struct {
				ID            int64  `json:"id"`
				TerminalPhone string `json:"terminal_phone"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if err := do(hc, req, &page); err != nil {
			return nil, fmt.Errorf("wsload: list vehicles at %s: %w", base, err)
		}
		for _, v := range page.Items {
			if v.TerminalPhone != "" {
				phones[v.ID] = strings.TrimLeft(v.TerminalPhone, "0")
			}
		}
		if len(page.Items) < limit || offset+limit >= page.Total {
			return phones, nil
		}
	}
}

// do sends req and decodes a 200 answer's JSON into out.
func do(hc *http.Client, req *http.Request, out any) error {
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %.200s", res.Status, b)
	}
	return json.Unmarshal(b, out)
}

// wsURL is the websocket address of base's live push with token.
func wsURL(base, token string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("wsload: base %q: want http:// or https://", base)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/ws"
	u.RawQuery = url.Values{"token": {token}}.Encode()
	return u.String(), nil
}
