package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

func TestLeadEditsRulesAndTestsThemOnAPastItem(t *testing.T) {
	h := newHarness(t)
	lead := h.addPerson("lead@example.org", true, review.RoleLead)
	c, csrf := h.signIn(lead)
	token := h.apiToken("scanner", "photos")
	urgent := h.addQueue("urgent")
	past := h.ingest(token, meta("old-1", `,"classifier":{"scores":{"csam":0.97}},"labels":["user_report"],"context":{"public":true}`), media(testImage(8, 8, 1)))
	if past.item.Queue != "default" {
		t.Fatalf("before any rule the item went to %q", past.item.Queue)
	}

	form := url.Values{"csrf": {csrf}, "name": {"Reported and likely"}, "source_id": {"0"}, "scores": {"csam >= 0.9"},
		"labels_any": {"user_report, other"}, "public": {"yes"}, "queue_id": {fmt.Sprint(urgent)}, "priority": {"95"}, "enabled": {"on"}}
	if res := c.post("/rules", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create rule: %d %s", res.StatusCode, res.testid("error"))
	}
	page := c.get("/rules?done=created")
	row := page.testid("rule-row")
	if !strings.Contains(row, "csam ≥ 0.9") || !strings.Contains(row, "urgent") || !strings.Contains(row, "95") || page.testid("notice") != "Rule added." {
		t.Errorf("rule row %q", row)
	}
	test := c.get(fmt.Sprintf("/rules/test?item=%d", past.item.ID))
	if got := test.testid("rule-test-result"); !strings.Contains(got, "Reported and likely") || !strings.Contains(got, "urgent") || !strings.Contains(got, "default now") {
		t.Errorf("test result %q", got)
	}
	if res := c.get("/rules/test?item=99999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("testing a missing item: %d", res.StatusCode)
	}
	fresh := h.ingest(token, meta("new-1", `,"classifier":{"scores":{"csam":0.97}},"labels":["user_report"],"context":{"public":true}`), media(testImage(8, 8, 2)))
	if fresh.item.Queue != "urgent" || fresh.item.Priority != 95 {
		t.Errorf("new item routed to %s/%d", fresh.item.Queue, fresh.item.Priority)
	}

	rules, _ := h.db.FindRules(t.Context())
	edit := fmt.Sprintf("/rules/%d", rules[0].ID)
	if got := c.get(edit); got.StatusCode != 200 {
		t.Fatalf("edit page: %d", got.StatusCode)
	}
	form.Set("scores", "csam >= 2")
	if res := c.post(edit, form); res.StatusCode != http.StatusBadRequest || res.testid("error") == "" {
		t.Errorf("bad threshold: %d %q", res.StatusCode, res.testid("error"))
	}
	form.Set("scores", "csam >= 0.9")
	form.Del("enabled")
	form.Set("position", "1")
	if res := c.post(edit, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable rule: %d %s", res.StatusCode, res.testid("error"))
	}
	off := h.ingest(token, meta("new-2", `,"classifier":{"scores":{"csam":0.97}},"labels":["user_report"],"context":{"public":true}`), media(testImage(8, 8, 3)))
	if off.item.Queue != "default" {
		t.Errorf("a disabled rule still routes: %s", off.item.Queue)
	}
	if res := c.post(edit+"/delete", url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("delete: %d", res.StatusCode)
	}
	if rules, _ := h.db.FindRules(t.Context()); len(rules) != 0 {
		t.Errorf("%d rules left", len(rules))
	}
	entries, _ := h.db.FindAuditEntries(t.Context(), review.AuditFilter{Actor: lead.Email})
	actions := map[string]bool{}
	for _, e := range entries {
		actions[e.Action] = true
	}
	if !actions[review.ActionRuleCreated] || !actions[review.ActionRuleUpdated] || !actions[review.ActionRuleDeleted] {
		t.Errorf("audited actions %v", actions)
	}
}

func TestAdminManagesTokens(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	c, csrf := h.signIn(admin)
	res := c.post("/admin/tokens", url.Values{"csrf": {csrf}, "name": {"scanner"}, "source": {"photos"}})
	token := res.testid("new-token")
	if res.StatusCode != 200 || !strings.HasPrefix(token, review.TokenPrefix) {
		t.Fatalf("create token: %d %q", res.StatusCode, token)
	}
	if again := c.get("/admin/tokens"); strings.Contains(again.body, token) {
		t.Error("the token is shown a second time")
	}
	if res := h.ingest(token, meta("t-1", ""), media(testImage(8, 8, 1))); res.status != http.StatusCreated {
		t.Fatalf("the new token does not work: %d", res.status)
	}
	if res := c.post("/admin/tokens", url.Values{"csrf": {csrf}, "name": {"scanner"}, "source": {"photos"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("duplicate name: %d", res.StatusCode)
	}
	if res := c.post("/admin/tokens", url.Values{"csrf": {csrf}, "name": {"Bad Name!"}, "source": {"photos"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad name: %d", res.StatusCode)
	}
	tokens, _ := h.db.FindTokens(t.Context())
	if res := c.post(fmt.Sprintf("/admin/tokens/%d/revoke", tokens[0].ID), url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res := h.ingest(token, meta("t-2", ""), media(testImage(8, 8, 2))); res.status != http.StatusUnauthorized {
		t.Errorf("revoked token still works: %d", res.status)
	}
	if row := c.get("/admin/tokens").testid("token-row"); !strings.Contains(row, "revoked") || !strings.Contains(row, "photos") {
		t.Errorf("token row %q", row)
	}
}
