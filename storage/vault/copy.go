package vault

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
)

// ErrNotEmpty means Copy found objects in its target and was not told to
// resume.
var ErrNotEmpty = errors.New("vault: target already holds objects")

// CopyReport counts what Copy did.
type CopyReport struct {
	Copied int   // objects written to the target
	Kept   int   // objects already in the target, identical, when resuming
	Bytes  int64 // bytes written
}

// Copy copies every object of from into to, in their sealed form: the
// wrapped keys in the database open the copies as they opened the
// originals, and the bytes are never decrypted. Each copy is read back
// and compared with the original by SHA-256 before the next begins.
//
// A target that already holds objects is refused (ErrNotEmpty), so two
// deployments are never mixed, unless resume is set, for a copy that was
// interrupted: objects already in the target that match the original are
// kept, others are copied again. progress, if not nil, is called after
// each object.
func Copy(ctx context.Context, from, to Store, resume bool, progress func(CopyReport)) (CopyReport, error) {
	var rep CopyReport
	if !resume {
		empty, err := isEmpty(ctx, to)
		if err != nil {
			return rep, err
		}
		if !empty {
			return rep, fmt.Errorf("%w: %s", ErrNotEmpty, to)
		}
	}
	err := from.Walk(ctx, func(id string) error {
		data, err := from.Get(ctx, id)
		if err != nil {
			return fmt.Errorf("vault: copy %s: read: %w", id, err)
		}
		sum := sha256.Sum256(data)
		if resume {
			if ok, err := holds(ctx, to, id, sum); err != nil {
				return err
			} else if ok {
				rep.Kept++
				report(progress, rep)
				return nil
			}
		}
		if err := to.Put(ctx, id, data); err != nil {
			return fmt.Errorf("vault: copy %s: write: %w", id, err)
		}
		if ok, err := holds(ctx, to, id, sum); err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("vault: copy %s: the copy read back differs from the original (%w)", id, ErrCorrupt)
		}
		rep.Copied++
		rep.Bytes += int64(len(data))
		report(progress, rep)
		return nil
	})
	return rep, err
}

func report(progress func(CopyReport), rep CopyReport) {
	if progress != nil {
		progress(rep)
	}
}

// holds reports whether st holds id with the checksum sum.
func holds(ctx context.Context, st Store, id string, sum [sha256.Size]byte) (bool, error) {
	data, err := st.Get(ctx, id)
	if errors.Is(err, ErrMissing) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("vault: copy %s: read back: %w", id, err)
	}
	got := sha256.Sum256(data)
	return bytes.Equal(got[:], sum[:]), nil
}

var errStop = errors.New("stop")

func isEmpty(ctx context.Context, st Store) (bool, error) {
	err := st.Walk(ctx, func(string) error { return errStop })
	if errors.Is(err, errStop) {
		return false, nil
	}
	return err == nil, err
}
