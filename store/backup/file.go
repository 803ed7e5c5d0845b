package backup

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fleet/store"
)

// sqliteMagic starts every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// input is an opened backup file: its content (gunzipped when the file is gzip, whatever its
// name) and what kind of backup it is.
type input struct {
	path   string
	f      *os.File
	gz     *gzip.Reader
	r      *bufio.Reader // the content
	size   int64         // bytes of the file itself
	sqlite bool          // a SQLite database file, else a SQL dump
}

func open(path string) (*input, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	in := &input{path: path, f: f}
	if st, err := f.Stat(); err == nil {
		in.size = st.Size()
	}
	raw := bufio.NewReaderSize(f, 1<<16)
	var r io.Reader = raw
	if magic, _ := raw.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		if in.gz, err = gzip.NewReader(raw); err != nil {
			f.Close()
			return nil, fmt.Errorf("backup: %s: bad gzip: %w", path, err)
		}
		r = in.gz
	}
	in.r = bufio.NewReaderSize(r, 1<<20)
	head, err := in.r.Peek(len(sqliteMagic))
	if len(head) == 0 {
		in.Close()
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("backup: read %s: %w", path, err)
		}
		return nil, fmt.Errorf("backup: %s is empty", path)
	}
	in.sqlite = string(head) == sqliteMagic
	return in, nil
}

func (in *input) dialect() string {
	if in.sqlite {
		return store.SQLite
	}
	return store.MySQL
}

func (in *input) Close() error {
	if in.gz != nil {
		in.gz.Close()
	}
	return in.f.Close()
}

// sqliteFile returns the path of the SQLite database the input holds: the file itself, or a
// temporary copy gunzipped from it, which cleanup removes.
func (in *input) sqliteFile() (path string, cleanup func(), err error) {
	if in.gz == nil {
		return in.path, func() {}, nil
	}
	tmp, err := os.CreateTemp("", "fleet-restore-*.db")
	if err != nil {
		return "", nil, fmt.Errorf("backup: %w", err)
	}
	cleanup = func() { os.Remove(tmp.Name()) }
	_, err = io.Copy(tmp, in.r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("backup: gunzip %s: %w", in.path, err)
	}
	return tmp.Name(), cleanup, nil
}

// output is a backup being written: to a temporary file beside its final name, renamed into place
// by commit (so a failed or interrupted backup never leaves a file that looks whole), or to
// stdout for path "-". A name ending in .gz is gzip-compressed.
type output struct {
	path string
	tmp  *os.File // nil for stdout
	gz   *gzip.Writer
	buf  *bufio.Writer
	n    countWriter // what reaches the file
}

func create(path string, stdout io.Writer) (*output, error) {
	o := &output{path: path}
	if path == "-" {
		o.n.w = stdout
	} else {
		tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		o.tmp, o.n.w = tmp, tmp
	}
	w := io.Writer(&o.n)
	if strings.HasSuffix(path, ".gz") {
		o.gz = gzip.NewWriter(w)
		w = o.gz
	}
	o.buf = bufio.NewWriterSize(w, 1<<20)
	return o, nil
}

func (o *output) Write(p []byte) (int, error) { return o.buf.Write(p) }

// commit finishes the file and puts it in place; it returns the bytes written.
func (o *output) commit() (int64, error) {
	err := o.buf.Flush()
	if o.gz != nil && err == nil {
		err = o.gz.Close()
	}
	if o.tmp == nil {
		return o.n.n, err
	}
	if err == nil {
		err = o.tmp.Sync()
	}
	if cerr := o.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.tmp.Name(), o.path)
	}
	if err != nil {
		os.Remove(o.tmp.Name())
		return 0, fmt.Errorf("backup: write %s: %w", o.path, err)
	}
	syncDir(filepath.Dir(o.path))
	return o.n.n, nil
}

// abort drops an unfinished backup.
func (o *output) abort() {
	if o.tmp != nil {
		o.tmp.Close()
		os.Remove(o.tmp.Name())
	}
}

// syncDir makes a rename in dir durable; where directories cannot be synced it does nothing.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
