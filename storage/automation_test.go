package storage

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/hashlist"
	"github.com/loupe-review/loupe/review/pdq"
)

// autoFixture is a database with a lead, a source, the default queue, a
// "known" queue that a routing rule fills with matches of block list
// "known", and an Automator over it all.
type autoFixture struct {
	db    *DB
	c     *clock
	auto  *review.Automator
	lead  review.User
	src   review.Source
	def   review.Queue
	known review.Queue
	list  review.HashList
	n     int
}

func newAutoFixture(t *testing.T, db *DB, c *clock) *autoFixture {
	t.Helper()
	ctx := context.Background()
	f := &autoFixture{db: db, c: c, lead: createUser(t, db, "lead@example.org", review.RoleLead)}
	f.auto = &review.Automator{Store: db, Reviews: db, Items: db, Queues: db, Rules: db, Lists: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: c.Now, Random: rand.Reader}
	var err error
	if f.src, err = db.EnsureSource(ctx, "photos"); err != nil {
		t.Fatal(err)
	}
	if f.def, err = db.FindQueueByName(ctx, review.DefaultQueue); err != nil {
		t.Fatal(err)
	}
	if f.known, err = db.CreateQueue(ctx, review.NewQueue("known"), review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	if f.list, err = db.CreateHashList(ctx, review.HashList{Name: "known", Kind: "block", Category: "A1", Threshold: 31, Enabled: true}, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	rule := review.Rule{Name: "known material", Conditions: review.Conditions{HashMatch: "known"}, QueueID: f.known.ID, Enabled: true}
	if _, err := db.CreateRule(ctx, rule, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// item stores a queued item in q with one media per hash pair, and the
// matches ingest would have found.
func (f *autoFixture) item(t *testing.T, q review.Queue, hashes [][2]string, ms ...review.MediaMatch) review.Item {
	t.Helper()
	f.n++
	ext := fmt.Sprintf("it-%d", f.n)
	it := review.Item{SourceID: f.src.ID, ExternalID: ext, Status: review.StatusQueued, QueueID: q.ID, Metadata: review.Metadata{ExternalID: ext}}
	for i, h := range hashes {
		it.Media = append(it.Media, review.Media{ID: fmt.Sprintf("%s-m%d", ext, i), Position: i, ContentType: "image/png", Width: 64, Height: 64,
			SHA256: h[0], MD5: fmt.Sprintf("%032d", f.n*10+i), PDQ: h[1], PDQQuality: 100})
	}
	for i := range ms {
		ms[i].MediaID = it.Media[0].ID
	}
	it.Matches = ms
	it, err := f.db.CreateItem(context.Background(), it, nil, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func (f *autoFixture) addEntries(t *testing.T, l review.HashList, source hashlist.Source, entries ...hashlist.Entry) []review.HashEntry {
	t.Helper()
	for i := range entries {
		entries[i].Source = source
	}
	out, err := f.db.ImportEntries(context.Background(), l.ID, entries, "lead@example.org", review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (f *autoFixture) automate(t *testing.T, q review.Queue, a review.Automation) {
	t.Helper()
	a.QueueID, a.Enabled, a.ByID = q.ID, true, f.lead.ID
	if err := f.db.SetAutomation(context.Background(), a, review.AuditEvent{Actor: f.lead.Email, Action: review.ActionAutomationSet}); err != nil {
		t.Fatal(err)
	}
}

func (f *autoFixture) reload(t *testing.T, id int64) review.Item {
	t.Helper()
	it, err := f.db.FindItemByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func (f *autoFixture) rematch(t *testing.T) review.RematchResult {
	t.Helper()
	res, err := f.auto.Rematch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func countAudit(t *testing.T, db *DB, action string) int {
	t.Helper()
	var n int
	if err := db.chained(context.Background()); err != nil { // on PostgreSQL, entries wait to be chained
		t.Fatal(err)
	}
	if err := db.r.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = ?`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// flip returns h with its first k bits inverted: a near duplicate at distance k.
func flip(t *testing.T, h string, k int) string {
	t.Helper()
	p, err := pdq.ParseHash(h)
	if err != nil {
		t.Fatal(err)
	}
	b := []byte(p.String())
	for i := 0; i < k/4; i++ {
		b[i] = "fedcba9876543210"[hexVal(b[i])]
	}
	return string(b)
}

func hexVal(c byte) int {
	if c >= 'a' {
		return int(c-'a') + 10
	}
	return int(c - '0')
}

const (
	shaKnown = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	shaOther = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
	pdqA     = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
)

func TestAutoDecideOnlyWithinDistanceForApprovedOrTrustedEntries(t *testing.T) {
	eachEngine(t, testAutoDecideOnlyWithinDistance)
}

func testAutoDecideOnlyWithinDistance(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	f := newAutoFixture(t, db, c)
	imported, err := db.CreateHashList(ctx, review.HashList{Name: "partner", Kind: "block", Category: "B1", Threshold: 31, Enabled: true}, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	own := f.addEntries(t, f.list, hashlist.SourceManual, hashlist.Entry{Type: hashlist.PDQ, Value: pdqA}, hashlist.Entry{Type: hashlist.SHA256, Value: shaOther, Category: "A2"})
	theirs := f.addEntries(t, imported, hashlist.SourceImport, hashlist.Entry{Type: hashlist.SHA256, Value: shaKnown})
	q, q2 := f.known, f.def
	f.automate(t, q, review.Automation{BlockListID: f.list.ID, BlockDistance: 8})
	f.automate(t, q2, review.Automation{BlockListID: imported.ID, BlockDistance: 31})
	near := func(e review.HashEntry, list review.HashList, d int) review.MediaMatch {
		return review.MediaMatch{ListID: list.ID, List: list.Name, Kind: "block", EntryID: e.ID, HashType: string(e.Type), Distance: d}
	}

	within := f.auto.DecideKnown(ctx, f.item(t, q, [][2]string{{shaOther, flip(t, pdqA, 8)}}, near(own[0], f.list, 8)))
	beyond := f.auto.DecideKnown(ctx, f.item(t, q, [][2]string{{shaOther, flip(t, pdqA, 12)}}, near(own[0], f.list, 12)))
	oneOfTwo := f.auto.DecideKnown(ctx, f.item(t, q, [][2]string{{shaOther, pdqA}, {shaKnown, ""}}, near(own[0], f.list, 0)))
	untrusted := f.auto.DecideKnown(ctx, f.item(t, q2, [][2]string{{shaKnown, ""}}, near(theirs[0], imported, 0)))
	if within.Status != review.StatusDecided {
		t.Errorf("a match at distance 8 with the rule at 8: status %s, want decided", within.Status)
	}
	for name, it := range map[string]review.Item{"distance 12 > 8": beyond, "one media of two matching": oneOfTwo, "an untrusted import": untrusted} {
		if got := f.reload(t, it.ID); got.Status != review.StatusQueued {
			t.Errorf("%s: status %s, want queued for a person", name, got.Status)
		}
	}
	ds, err := db.FindDecisions(ctx, within.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("decisions %+v, %v", ds, err)
	}
	d := ds[0]
	if d.Kind != review.KindAutomated || d.Verdict != review.Violating || d.Category != "A1" || !d.Final || d.ReviewerID != f.lead.ID ||
		d.AutoEntryID != own[0].ID || d.AutoDistance != 8 || len(d.Reveals) != 0 || d.Source() != "automated" {
		t.Errorf("decision %+v: want final automated violating A1 (the list's category) by the lead, on entry %d at distance 8, no reveals", d, own[0].ID)
	}
	if _, err := db.FindCaseOfItem(ctx, within.ID); err != nil {
		t.Errorf("the decided item is in no report case: %v", err)
	}
	if n := countAudit(t, db, review.ActionDecisionAutomated); n != 1 {
		t.Errorf("%d automated decisions audited, want 1", n)
	}

	// A lead trusts the partner's list: its imported entries now decide.
	if err := db.SetListTrusted(ctx, imported.ID, true, review.AuditEvent{Actor: f.lead.Email, Action: review.ActionHashListTrusted}); err != nil {
		t.Fatal(err)
	}
	// B1 is one of q2's categories (the default taxonomy).
	trusted := f.auto.DecideKnown(ctx, f.item(t, q2, [][2]string{{shaKnown, ""}}, near(theirs[0], imported, 0)))
	if trusted.Status != review.StatusDecided {
		t.Errorf("an import on a trusted list: status %s, want decided", trusted.Status)
	}
	// Retracted entries never decide.
	if _, err := db.RetractEntries(ctx, []int64{theirs[0].ID}, "wrong", "lead@example.org", review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	retracted := f.auto.DecideKnown(ctx, f.item(t, q2, [][2]string{{shaKnown, ""}}, near(theirs[0], imported, 0)))
	if retracted.Status != review.StatusQueued {
		t.Errorf("a retracted entry: status %s, want queued", retracted.Status)
	}

	// Switched off with a reason: items wait for a person again.
	if err := db.DisableAutomation(ctx, q.ID, "sampled agreement 91% < 95%"); err != nil {
		t.Fatal(err)
	}
	a, err := db.FindAutomation(ctx, q.ID)
	if err != nil || a.Enabled || a.OffReason != "sampled agreement 91% < 95%" || a.BlockListID != f.list.ID {
		t.Errorf("after DisableAutomation: %+v, %v", a, err)
	}
	off := f.auto.DecideKnown(ctx, f.item(t, q, [][2]string{{shaOther, pdqA}}, near(own[0], f.list, 0)))
	if off.Status != review.StatusQueued {
		t.Errorf("automation off: status %s, want queued", off.Status)
	}
	if n := countAudit(t, db, review.ActionAutomationDisabled); n != 1 {
		t.Errorf("%d switch-offs audited, want 1", n)
	}
}

func TestRematchAfterApprovalRoutesWaitingItem(t *testing.T) { eachEngine(t, testRematchAfterApproval) }

func testRematchAfterApproval(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	f := newAutoFixture(t, db, c)
	waiting := f.item(t, f.def, [][2]string{{shaKnown, ""}})
	held := f.item(t, f.def, [][2]string{{shaKnown, ""}})
	other := f.item(t, f.def, [][2]string{{shaOther, ""}})
	reviewer := reviewers(t, db, 1)[0]
	if _, err := db.w.Exec(`UPDATE items SET lease_user_id = ?, lease_until = ? WHERE id = ?`, reviewer, fmtTime(c.Now().Add(review.DefaultLease)), held.ID); err != nil {
		t.Fatal(err)
	}
	// A second reviewer's decision proposed the hash; a lead approves it.
	var proposal int64
	err := db.w.QueryRow(`INSERT INTO decisions (item_id, reviewer_id, kind, verdict, category, final, created_at) VALUES (?, ?, 'first', 'violating', 'A2', 1, ?) RETURNING id`,
		other.ID, reviewer, fmtTime(c.Now())).Scan(&proposal)
	if err == nil {
		err = db.w.QueryRow(`INSERT INTO hash_proposals (list_id, item_id, decision_id, reviewer_id, hash_type, value, category, created_at) VALUES (?, ?, ?, ?, 'sha256', ?, 'A2', ?) RETURNING id`,
			f.list.ID, other.ID, proposal, reviewer, shaKnown, fmtTime(c.Now())).Scan(&proposal)
	}
	if err != nil {
		t.Fatal(err)
	}
	if res := f.rematch(t); res.Items != 0 {
		t.Fatalf("re-matching before the approval changed %d items", res.Items)
	}
	if _, err := db.DecideProposals(ctx, f.list.ID, []int64{proposal}, true, f.lead, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	res := f.rematch(t)
	if res.Items != 2 || res.Moved != 1 {
		t.Errorf("re-matching: %+v, want 2 items matched, 1 moved", res)
	}
	if got := f.reload(t, waiting.ID); got.QueueID != f.known.ID || got.RuleID == 0 {
		t.Errorf("the waiting item is in queue %s (rule %d), want known", got.Queue, got.RuleID)
	}
	if got := f.reload(t, held.ID); got.QueueID != f.def.ID {
		t.Errorf("the item a reviewer holds moved to %s; it should stay with them", got.Queue)
	}
	for _, id := range []int64{waiting.ID, held.ID} {
		if ms, _ := db.FindMatches(ctx, id); len(ms) != 1 || ms[0].List != "known" || ms[0].Category != "A2" {
			t.Errorf("item %d matches %+v, want the new entry of known", id, ms)
		}
	}
	if ms, _ := db.FindMatches(ctx, other.ID); len(ms) != 0 {
		t.Errorf("a decided item was re-matched: %+v", ms)
	}
	if n := countAudit(t, db, review.ActionItemRerouted); n != 1 {
		t.Errorf("%d moves audited, want 1", n)
	}
	if res := f.rematch(t); res != (review.RematchResult{}) {
		t.Errorf("a second pass did %+v; the cursor should have moved past the approval", res)
	}
}

func TestRematchAutoDecidesByTheNewQueuesRule(t *testing.T) { eachEngine(t, testRematchAutoDecides) }

func testRematchAutoDecides(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	f := newAutoFixture(t, db, c)
	f.automate(t, f.known, review.Automation{BlockListID: f.list.ID, BlockDistance: 10})
	exact := f.item(t, f.def, [][2]string{{shaKnown, ""}})
	near := f.item(t, f.def, [][2]string{{shaOther, flip(t, pdqA, 8)}})
	far := f.item(t, f.def, [][2]string{{shaOther, flip(t, pdqA, 20)}})
	unrelated := f.item(t, f.def, [][2]string{{shaOther, flip(t, pdqA, 64)}})
	f.addEntries(t, f.list, hashlist.SourceManual, hashlist.Entry{Type: hashlist.SHA256, Value: shaKnown}, hashlist.Entry{Type: hashlist.PDQ, Value: pdqA})
	res := f.rematch(t)
	if res.Items != 3 || res.Moved != 3 || res.Decided != 2 {
		t.Errorf("re-matching: %+v, want 3 matched and moved, 2 decided", res)
	}
	for _, it := range []review.Item{exact, near} {
		if got := f.reload(t, it.ID); got.Status != review.StatusDecided || got.QueueID != f.known.ID {
			t.Errorf("item %d: %s in %s, want decided in known", it.ID, got.Status, got.Queue)
		}
	}
	if got := f.reload(t, far.ID); got.Status != review.StatusQueued || got.QueueID != f.known.ID {
		t.Errorf("a match at distance 20 (rule 10): %s in %s, want queued in known, for a person", got.Status, got.Queue)
	}
	if got := f.reload(t, unrelated.ID); got.QueueID != f.def.ID {
		t.Errorf("an unrelated image moved to %s", got.Queue)
	}
	ds, _ := db.FindDecisions(ctx, near.ID)
	if len(ds) != 1 || ds[0].AutoDistance != 8 || ds[0].Kind != review.KindAutomated {
		t.Errorf("decisions of the near copy: %+v", ds)
	}
}

func TestRetractionUndoesMatchesOfWaitingItems(t *testing.T) {
	eachEngine(t, testRetractionUndoesMatches)
}

func testRetractionUndoesMatches(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	f := newAutoFixture(t, db, c)
	waiting := f.item(t, f.def, [][2]string{{shaKnown, ""}})
	decided := f.item(t, f.def, [][2]string{{shaKnown, ""}})
	entries := f.addEntries(t, f.list, hashlist.SourceManual, hashlist.Entry{Type: hashlist.SHA256, Value: shaKnown})
	f.rematch(t)
	if got := f.reload(t, waiting.ID); got.QueueID != f.known.ID {
		t.Fatalf("before the retraction the item is in %s, want known", got.Queue)
	}
	if _, err := db.w.Exec(`UPDATE items SET status = 'decided' WHERE id = ?`, decided.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RetractEntries(ctx, []int64{entries[0].ID}, "not what we thought", "lead@example.org", review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	res := f.rematch(t)
	if res.Items != 1 || res.Moved != 1 {
		t.Errorf("re-matching after the retraction: %+v, want 1 item unmatched and moved", res)
	}
	if ms, _ := db.FindMatches(ctx, waiting.ID); len(ms) != 0 {
		t.Errorf("the waiting item still matches %+v", ms)
	}
	if got := f.reload(t, waiting.ID); got.QueueID != f.def.ID || got.RuleID != 0 {
		t.Errorf("after the retraction the item is in %s (rule %d), want default", got.Queue, got.RuleID)
	}
	if ms, _ := db.FindMatches(ctx, decided.ID); len(ms) != 1 {
		t.Errorf("the decided item's match (its record) was removed: %+v", ms)
	}
}
