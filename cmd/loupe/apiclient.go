package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
)

// ack is what a 201 or 200 promised about one item.
type ack struct {
	id         int64
	externalID string
	sha256     string
}

// postItem sends one single-image item to the ingest API, as a platform
// would (used by the benchmarks and the crash test); extra is more
// metadata fields (",\"content_url\":...") or "".
func postItem(client *http.Client, base, token, externalID, extra string, img []byte) (ack, bool) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormField("metadata")
	fmt.Fprintf(w, `{"external_id":%q%s}`, externalID, extra)
	w, _ = mw.CreateFormFile("media", "x.jpg")
	w.Write(img)
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/items", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		return ack{}, false
	}
	defer res.Body.Close()
	var body struct {
		ID    int64 `json:"id"`
		Media []struct {
			SHA256 string `json:"sha256"`
		} `json:"media"`
	}
	if res.StatusCode != 201 && res.StatusCode != 200 || json.NewDecoder(res.Body).Decode(&body) != nil || len(body.Media) != 1 {
		return ack{}, false
	}
	return ack{id: body.ID, externalID: externalID, sha256: body.Media[0].SHA256}, true
}
