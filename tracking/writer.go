package tracking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// writeReq is one caller's points waiting for a commit.
type writeReq struct {
	pts  []Point
	done chan error
}

// writer stores points with multi-row INSERTs: each worker takes what is queued (up to maxRows)
// and commits it in one transaction, so one commit acknowledges many terminals. Re-sent points
// (same vehicle and fix time) are ignored by the primary key: stored once.
type writer struct {
	db       *sql.DB
	dialect  string
	queue    chan *writeReq
	maxRows  int
	workers  int
	maxDelay time.Duration // how long a worker may wait to fill a batch
	now      func() time.Time
	observe  func(rows int, d time.Duration, err error)
	wg       sync.WaitGroup
	bufs     sync.Pool
}

// errWriterClosed is returned for points submitted after the writer stopped.
var errWriterClosed = errors.New("tracking: writer stopped")

func (w *writer) start() {
	for i := 0; i < w.workers; i++ {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			w.work()
		}()
	}
}

// stop closes the queue and waits until every queued point is written.
func (w *writer) stop() {
	close(w.queue)
	w.wg.Wait()
}

// submit queues pts and waits for their commit or ctx.
func (w *writer) submit(ctx context.Context, pts []Point) (err error) {
	req := &writeReq{pts: pts, done: make(chan error, 1)}
	defer func() {
		if recover() != nil { // send on a closed queue: shutting down
			err = errWriterClosed
		}
	}()
	select {
	case w.queue <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *writer) work() {
	batch := make([]*writeReq, 0, 64)
	for first := range w.queue {
		batch = append(batch[:0], first)
		rows := len(first.pts)
		timer := (*time.Timer)(nil)
	fill:
		for rows < w.maxRows {
			select {
			case r, ok := <-w.queue:
				if !ok {
					break fill
				}
				batch = append(batch, r)
				rows += len(r.pts)
			default:
				if w.maxDelay <= 0 {
					break fill
				}
				if timer == nil {
					timer = time.NewTimer(w.maxDelay)
				}
				select {
				case r, ok := <-w.queue:
					if !ok {
						break fill
					}
					batch = append(batch, r)
					rows += len(r.pts)
				case <-timer.C:
					break fill
				}
			}
		}
		if timer != nil {
			timer.Stop()
		}
		start := time.Now()
		err := w.write(batch)
		if w.observe != nil {
			w.observe(rows, time.Since(start), err)
		}
		for _, r := range batch {
			r.done <- err
		}
	}
}

// rowsPerStatement keeps each INSERT under both dialects' limits on statement size.
const rowsPerStatement = 1000

// write commits every point of the batch in one transaction.
func (w *writer) write(batch []*writeReq) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("tracking: begin: %w", err)
	}
	bp, _ := w.bufs.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, 0, 64<<10)
		bp = &b
	}
	buf := (*bp)[:0]
	now := w.now().UTC()
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, string(buf))
		buf, n = buf[:0], 0
		return err
	}
	for _, r := range batch {
		for i := range r.pts {
			if n == 0 {
				buf = w.appendInsertHead(buf)
			} else {
				buf = append(buf, ',')
			}
			buf = appendRow(buf, &r.pts[i], now)
			n++
			if n == rowsPerStatement {
				if err := flush(); err != nil {
					tx.Rollback()
					return fmt.Errorf("tracking: insert positions: %w", err)
				}
			}
		}
	}
	if err := flush(); err != nil {
		tx.Rollback()
		return fmt.Errorf("tracking: insert positions: %w", err)
	}
	*bp = buf
	w.bufs.Put(bp)
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("tracking: commit positions: %w", err)
	}
	return nil
}

func (w *writer) appendInsertHead(b []byte) []byte {
	if w.dialect == "mysql" {
		b = append(b, "INSERT IGNORE INTO positions"...)
	} else {
		b = append(b, "INSERT OR IGNORE INTO positions"...)
	}
	return append(b, " (vehicle_id,fixed_at,lat,lng,speed_kmh,course,altitude,acc,alarm,status,mileage_km,fuel_l,source,blind,received_at) VALUES "...)
}

// appendRow writes one VALUES tuple. Every value is a number or a time formatted here, never
// text from a device, so inlining them is safe and spares the driver thousands of arguments.
func appendRow(b []byte, p *Point, now time.Time) []byte {
	b = append(b, '(')
	b = strconv.AppendInt(b, p.VehicleID, 10)
	b = append(b, ',')
	b = appendTime(b, p.FixedAt)
	b = append(b, ',')
	b = strconv.AppendFloat(b, p.Lat, 'f', 7, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, p.Lng, 'f', 7, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, p.SpeedKmh, 'f', 1, 64)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(p.Course), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(p.Altitude), 10)
	b = append(b, ',')
	b = appendBool(b, p.ACC)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(p.Alarm), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(p.Status), 10)
	b = append(b, ',')
	if p.HasMileage {
		b = strconv.AppendFloat(b, p.MileageKm, 'f', 1, 64)
	} else {
		b = append(b, "NULL"...)
	}
	b = append(b, ',')
	if p.HasFuel {
		b = strconv.AppendFloat(b, p.FuelL, 'f', 1, 64)
	} else {
		b = append(b, "NULL"...)
	}
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(p.Source), 10)
	b = append(b, ',')
	b = appendBool(b, p.Blind)
	b = append(b, ',')
	b = appendTime(b, now)
	return append(b, ')')
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, '1')
	}
	return append(b, '0')
}

// appendTime writes t in UTC as '2006-01-02 15:04:05.000', a literal both dialects read and
// that sorts as it reads in SQLite.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '\'')
	b = t.UTC().AppendFormat(b, "2006-01-02 15:04:05.000")
	return append(b, '\'')
}
