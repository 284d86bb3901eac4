package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Metadata is what a platform says about a flagged item when it sends it.
// Unknown fields are refused, so a typo surfaces instead of being dropped.
type Metadata struct {
	ExternalID string      `json:"external_id"`
	ContentURL string      `json:"content_url,omitempty"`
	UploadedAt string      `json:"uploaded_at,omitempty"` // RFC 3339
	Uploader   *Uploader   `json:"uploader,omitempty"`
	Classifier *Classifier `json:"classifier,omitempty"`
	Labels     []string    `json:"labels,omitempty"`
	Context    *Context    `json:"context,omitempty"`
	Priority   *int        `json:"priority,omitempty"`
	// Media describes the media parts, in the order they were sent; it
	// may be shorter than them.
	Media []MediaMetadata `json:"media,omitempty"`
}

// MediaMetadata is what a platform says about one media file.
type MediaMetadata struct {
	// UploadIP is the address this file was uploaded from, and
	// UploadIPTime when the platform logged that upload (RFC 3339). A
	// report says a file was uploaded from an address only when told so
	// here; the uploader's ip is an address the account used.
	UploadIP     string `json:"upload_ip,omitempty"`
	UploadIPTime string `json:"upload_ip_time,omitempty"`
}

// Uploader is the account that uploaded the content, as the platform knows it.
type Uploader struct {
	AccountID   string `json:"account_id,omitempty"`
	ScreenName  string `json:"screen_name,omitempty"`
	DisplayName string `json:"display_name,omitempty"`
	ProfileURL  string `json:"profile_url,omitempty"`
	Email       string `json:"email,omitempty"`
	IP          string `json:"ip,omitempty"`
	IPEventTime string `json:"ip_event_time,omitempty"` // RFC 3339
}

// Classifier is the automated system that flagged the item and its scores.
type Classifier struct {
	Name    string             `json:"name,omitempty"`
	Version string             `json:"version,omitempty"`
	Scores  map[string]float64 `json:"scores,omitempty"`
}

// Context says where on the platform the content appeared.
type Context struct {
	Surface string `json:"surface,omitempty"`
	Public  *bool  `json:"public,omitempty"`
}

// Limits on metadata sizes, so one request cannot bloat the database.
const (
	MaxMetadataBytes = 64 << 10
	maxText          = 1000
	maxLabels        = 50
	maxScores        = 100
	maxMedia         = 100
)

// DefaultPriority is an item's priority when the platform gives none.
const DefaultPriority = 50

// ParseMetadata decodes and validates the metadata JSON of one item.
func ParseMetadata(b []byte) (Metadata, error) {
	var m Metadata
	if len(b) > MaxMetadataBytes {
		return m, Invalid("metadata", fmt.Sprintf("must be at most %d bytes", MaxMetadataBytes))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, jsonProblem(err)
	}
	if dec.More() {
		return m, Invalid("metadata", "must be exactly one JSON object")
	}
	return m, m.Validate()
}

// jsonProblem turns a decoding error into a ValidationError naming the field.
func jsonProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "metadata"
		}
		return Invalid(field, "must be a JSON "+jsonKind(typeErr.Type.Kind().String()))
	case errors.As(err, &syntaxErr):
		return Invalid("metadata", fmt.Sprintf("malformed JSON at byte %d", syntaxErr.Offset))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Invalid(field, "unknown field")
	}
	return Invalid("metadata", "malformed JSON")
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "map", "struct":
		return "object"
	case "slice":
		return "array"
	}
	return "number"
}

// Validate checks every field and reports each problem by its JSON path.
func (m Metadata) Validate() error {
	var v ValidationError
	switch {
	case strings.TrimSpace(m.ExternalID) == "":
		v.Add("external_id", "is required")
	case len(m.ExternalID) > 200:
		v.Add("external_id", "must be at most 200 bytes")
	}
	checkPlain(&v, "external_id", m.ExternalID)
	checkURL(&v, "content_url", m.ContentURL)
	checkTime(&v, "uploaded_at", m.UploadedAt)
	if u := m.Uploader; u != nil {
		for field, s := range map[string]string{"uploader.account_id": u.AccountID, "uploader.screen_name": u.ScreenName, "uploader.display_name": u.DisplayName} {
			checkText(&v, field, s)
		}
		checkURL(&v, "uploader.profile_url", u.ProfileURL)
		checkPlain(&v, "uploader.email", u.Email)
		if u.Email != "" {
			if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
				v.Add("uploader.email", "must be an email address")
			}
		}
		if u.IP != "" {
			if _, err := netip.ParseAddr(u.IP); err != nil {
				v.Add("uploader.ip", "must be an IPv4 or IPv6 address")
			}
		}
		checkTime(&v, "uploader.ip_event_time", u.IPEventTime)
	}
	if c := m.Classifier; c != nil {
		checkText(&v, "classifier.name", c.Name)
		checkText(&v, "classifier.version", c.Version)
		if len(c.Scores) > maxScores {
			v.Add("classifier.scores", fmt.Sprintf("must have at most %d labels", maxScores))
		}
		for label, s := range c.Scores {
			if label == "" || len(label) > 64 {
				v.Add("classifier.scores", "labels must be 1 to 64 bytes")
			}
			checkPlain(&v, "classifier.scores", label)
			if s < 0 || s > 1 || s != s {
				v.Add("classifier.scores."+label, "must be between 0 and 1")
			}
		}
	}
	if len(m.Labels) > maxLabels {
		v.Add("labels", fmt.Sprintf("must have at most %d entries", maxLabels))
	}
	for _, l := range m.Labels {
		if l == "" || len(l) > 64 {
			v.Add("labels", "each label must be 1 to 64 bytes")
		}
		checkPlain(&v, "labels", l)
	}
	if m.Context != nil {
		checkText(&v, "context.surface", m.Context.Surface)
	}
	if m.Priority != nil && (*m.Priority < 0 || *m.Priority > 100) {
		v.Add("priority", "must be between 0 and 100")
	}
	if len(m.Media) > maxMedia {
		v.Add("media", fmt.Sprintf("must have at most %d entries", maxMedia))
	}
	for i, mm := range m.Media {
		field := fmt.Sprintf("media[%d].", i)
		if _, err := netip.ParseAddr(mm.UploadIP); mm.UploadIP != "" && err != nil {
			v.Add(field+"upload_ip", "must be an IPv4 or IPv6 address")
		}
		if mm.UploadIP == "" && mm.UploadIPTime != "" {
			v.Add(field+"upload_ip", "is required with upload_ip_time")
		}
		checkTime(&v, field+"upload_ip_time", mm.UploadIPTime)
	}
	return v.Err()
}

func checkText(v *ValidationError, field, s string) {
	if len(s) > maxText {
		v.Add(field, fmt.Sprintf("must be at most %d bytes", maxText))
	}
	checkPlain(v, field, s)
}

func checkURL(v *ValidationError, field, s string) {
	if s == "" {
		return
	}
	checkPlain(v, field, s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(s) > 2000 {
		v.Add(field, "must be an absolute http or https URL")
	}
}

func checkTime(v *ValidationError, field, s string) {
	if s == "" {
		return
	}
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		v.Add(field, "must be an RFC 3339 time such as 2026-11-26T09:30:00Z")
	}
}

// Time parses an RFC 3339 field that Validate accepted; "" is the zero time.
func Time(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// EffectivePriority is the priority given, or the default.
func (m Metadata) EffectivePriority() int {
	if m.Priority == nil {
		return DefaultPriority
	}
	return *m.Priority
}
