package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Config is fleetd's configuration: each field from its environment variable, then its flag.
type Config struct {
	HTTPAddr      string
	JT808Addr     string
	DB            string
	Redis         string
	DataDir       string
	AdminPassword string
	Demo          bool
	TimeZone      string
	LogLevel      string
	LogFormat     string
	TrustProxy    bool
	MaxBody       int64
	ShutdownWait  time.Duration
	OfflineAfter  time.Duration
	Origins       []string
	TileURL       string
	TileCRS       string
	JT808Idle     time.Duration
	RetentionDays int
	// Demo mode: days of history seeded on the first start, and the mean time between the live
	// requests of the demo county's staff (0: none).
	DemoHistoryDays int
	DemoEvery       time.Duration
}

// parseConfig reads the environment, then the flags, which win.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	envBool := func(name string) bool {
		b, _ := strconv.ParseBool(getenv(name))
		return b
	}
	c := Config{}
	fs := flag.NewFlagSet("fleetd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.HTTPAddr, "http-addr", env("FLEET_HTTP_ADDR", ":8080"), "HTTP listen address (FLEET_HTTP_ADDR)")
	fs.StringVar(&c.JT808Addr, "jt808-addr", env("FLEET_JT808_ADDR", ":6808"), "JT/T 808 TCP listen address, off (or an empty flag) for none (FLEET_JT808_ADDR)")
	fs.StringVar(&c.DB, "db", env("FLEET_DB", "sqlite:data/fleet.db"), "database: sqlite:PATH or mysql://user:pass@host:port/db (FLEET_DB)")
	fs.StringVar(&c.Redis, "redis", env("FLEET_REDIS", ""), "redis://host:port/db; empty for the in-process bus (FLEET_REDIS)")
	fs.StringVar(&c.DataDir, "data-dir", env("FLEET_DATA_DIR", "data"), "attachments and exports (FLEET_DATA_DIR)")
	fs.StringVar(&c.AdminPassword, "admin-password", env("FLEET_ADMIN_PASSWORD", ""), "password of user admin created on first start (FLEET_ADMIN_PASSWORD)")
	fs.BoolVar(&c.Demo, "demo", envBool("FLEET_DEMO"), "seed the demo county (FLEET_DEMO)")
	fs.StringVar(&c.TimeZone, "tz", env("FLEET_TZ", "Asia/Shanghai"), "the county's time zone (FLEET_TZ)")
	fs.StringVar(&c.LogLevel, "log-level", env("FLEET_LOG_LEVEL", "info"), "debug, info, warn or error (FLEET_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env("FLEET_LOG_FORMAT", "text"), "text or json (FLEET_LOG_FORMAT)")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", envBool("FLEET_TRUST_PROXY"), "take client addresses from X-Forwarded-For (FLEET_TRUST_PROXY)")
	envDur := func(name string, def time.Duration) time.Duration {
		if d, err := time.ParseDuration(getenv(name)); err == nil {
			return d
		}
		return def
	}
	envInt := func(name string, def int) int {
		if n, err := strconv.Atoi(getenv(name)); err == nil {
			return n
		}
		return def
	}
	fs.DurationVar(&c.OfflineAfter, "offline-after", envDur("FLEET_OFFLINE_AFTER", 5*time.Minute), "silence after which a vehicle is offline (FLEET_OFFLINE_AFTER)")
	fs.DurationVar(&c.JT808Idle, "jt808-idle", envDur("FLEET_JT808_IDLE", 180*time.Second), "a terminal silent this long is disconnected (FLEET_JT808_IDLE)")
	fs.IntVar(&c.DemoHistoryDays, "demo-history-days", envInt("FLEET_DEMO_HISTORY_DAYS", 30), "demo mode: days of history seeded on the first start, 0 for none (FLEET_DEMO_HISTORY_DAYS)")
	fs.DurationVar(&c.DemoEvery, "demo-request-every", envDur("FLEET_DEMO_REQUEST_EVERY", 3*time.Minute+30*time.Second), "demo mode: mean time between live requests, 0 for none (FLEET_DEMO_REQUEST_EVERY)")
	fs.IntVar(&c.RetentionDays, "retention-days", envInt("FLEET_RETENTION_DAYS", 0), "days of positions kept; 0 keeps all (FLEET_RETENTION_DAYS)")
	fs.StringVar(&c.TileURL, "tile-url", env("FLEET_TILE_URL", ""), "XYZ tile URL template of the console map; empty: no tiles (FLEET_TILE_URL)")
	fs.StringVar(&c.TileCRS, "tile-crs", env("FLEET_TILE_CRS", "wgs84"), "datum of the tiles: wgs84 or gcj02 (FLEET_TILE_CRS)")
	origins := fs.String("allowed-origins", env("FLEET_ALLOWED_ORIGINS", ""), "origins besides this host that may open /ws, comma-separated (FLEET_ALLOWED_ORIGINS)")
	maxBody := fs.Int64("max-body", 1<<20, "largest request body in bytes")
	fs.DurationVar(&c.ShutdownWait, "shutdown-wait", 20*time.Second, "how long a stop waits for requests to finish")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	// An environment variable cannot be told apart from an empty one, so "off" turns the
	// gateway off (an empty -jt808-addr flag does too).
	if c.JT808Addr == "off" {
		c.JT808Addr = ""
	}
	c.MaxBody = *maxBody
	for _, o := range strings.Split(*origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.Origins = append(c.Origins, o)
		}
	}
	return c, c.validate()
}

func (c Config) validate() error {
	var errs []error
	if c.HTTPAddr == "" {
		errs = append(errs, errors.New("FLEET_HTTP_ADDR must not be empty"))
	}
	if !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "mysql://") {
		errs = append(errs, fmt.Errorf("FLEET_DB must start with sqlite: or mysql://"))
	}
	if c.Redis != "" && !strings.HasPrefix(c.Redis, "redis://") && !strings.HasPrefix(c.Redis, "rediss://") {
		errs = append(errs, fmt.Errorf("FLEET_REDIS must start with redis:// or rediss://"))
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		errs = append(errs, fmt.Errorf("FLEET_TZ: %w", err))
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, err)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("FLEET_LOG_FORMAT must be text or json"))
	}
	if c.OfflineAfter < 10*time.Second {
		errs = append(errs, fmt.Errorf("FLEET_OFFLINE_AFTER must be at least 10s"))
	}
	if c.TileCRS != "wgs84" && c.TileCRS != "gcj02" {
		errs = append(errs, fmt.Errorf("FLEET_TILE_CRS must be wgs84 or gcj02"))
	}
	if c.TileURL != "" && !strings.HasPrefix(c.TileURL, "http://") && !strings.HasPrefix(c.TileURL, "https://") && !strings.HasPrefix(c.TileURL, "/") {
		errs = append(errs, fmt.Errorf("FLEET_TILE_URL must be an http(s) URL template or a path"))
	}
	if c.DemoHistoryDays < 0 || c.DemoHistoryDays > 366 {
		errs = append(errs, fmt.Errorf("FLEET_DEMO_HISTORY_DAYS must be between 0 and 366"))
	}
	if c.DemoEvery != 0 && c.DemoEvery < time.Second {
		errs = append(errs, fmt.Errorf("FLEET_DEMO_REQUEST_EVERY must be 0 (off) or at least 1s"))
	}
	if c.RetentionDays < 0 {
		errs = append(errs, fmt.Errorf("FLEET_RETENTION_DAYS must not be negative"))
	}
	if c.MaxBody < 1024 {
		errs = append(errs, fmt.Errorf("-max-body must be at least 1024"))
	}
	return errors.Join(errs...)
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(s))
	if err != nil {
		return l, fmt.Errorf("FLEET_LOG_LEVEL: %q is not debug, info, warn or error", s)
	}
	return l, nil
}

func newLogger(c Config, w io.Writer) *slog.Logger {
	level, _ := parseLevel(c.LogLevel)
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
