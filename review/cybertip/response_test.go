package cybertip

import (
	"errors"
	"slices"
	"testing"
)

func TestParseResponse(t *testing.T) {
	for _, tc := range []struct {
		name    string
		body    string
		want    Response
		wantErr bool // parse error
	}{
		{
			name: "submit accepted",
			body: `<?xml version="1.0" encoding="UTF-8"?><reportResponse><responseCode>0</responseCode>` +
				`<responseDescription>Success</responseDescription><reportId>4564654</reportId></reportResponse>`,
			want: Response{Code: 0, Description: "Success", ReportID: 4564654},
		},
		{
			name: "upload accepted",
			body: `<reportResponse><responseCode>0</responseCode><responseDescription>Success</responseDescription>` +
				`<reportId>4564654</reportId><fileId>0c9d5d8f2e0a43c1b4b6b7d1c2e3f4a5</fileId>` +
				`<hash>0123456789abcdef0123456789abcdef</hash></reportResponse>`,
			want: Response{Description: "Success", ReportID: 4564654, FileID: "0c9d5d8f2e0a43c1b4b6b7d1c2e3f4a5", Hash: "0123456789abcdef0123456789abcdef"},
		},
		{
			name: "validation failed",
			body: `<reportResponse><responseCode>4100</responseCode>` +
				`<responseDescription>cvc-complex-type.2.4.a: Invalid content</responseDescription></reportResponse>`,
			want: Response{Code: CodeValidationFailed, Description: "cvc-complex-type.2.4.a: Invalid content"},
		},
		{name: "wrong root", body: `<reportDoneResponse><responseCode>0</responseCode></reportDoneResponse>`, wantErr: true},
		{name: "not XML", body: `Service Unavailable`, wantErr: true},
		{name: "empty", body: ``, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseResponse([]byte(tc.body))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			got.XMLName = tc.want.XMLName
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseDoneResponse(t *testing.T) {
	body := `<reportDoneResponse><responseCode>0</responseCode><reportId>4564654</reportId>` +
		`<files><fileId>f1</fileId><fileId>f2</fileId></files></reportDoneResponse>`
	got, err := ParseDoneResponse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if got.Code != CodeOK || got.ReportID != 4564654 || !slices.Equal(got.FileIDs, []string{"f1", "f2"}) {
		t.Errorf("got %+v", got)
	}
	if err := got.Err(); err != nil {
		t.Errorf("Err() = %v for success", err)
	}

	finished, err := ParseDoneResponse([]byte(`<reportDoneResponse><responseCode>5102</responseCode><reportId>4564654</reportId><files/></reportDoneResponse>`))
	if err != nil {
		t.Fatal(err)
	}
	var re *ResponseError
	if !errors.As(finished.Err(), &re) || !re.Code.Terminal() {
		t.Errorf("Err() = %v, want a terminal ResponseError", finished.Err())
	}

	if _, err := ParseDoneResponse([]byte(`<reportResponse><responseCode>0</responseCode></reportResponse>`)); err == nil {
		t.Error("a reportResponse parsed as reportDoneResponse")
	}
}

func TestResponseErr(t *testing.T) {
	if err := (Response{Code: CodeOK}).Err(); err != nil {
		t.Errorf("success Err() = %v", err)
	}
	err := Response{Code: CodeServerError, Description: "Internal error"}.Err()
	var re *ResponseError
	if !errors.As(err, &re) || !re.Code.Retryable() {
		t.Fatalf("Err() = %v, want a retryable ResponseError", err)
	}
	if want := "cybertip: ncmec refused: 1000 server error: Internal error"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestParseCode(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		code       Code
		desc       string
		wantErr    bool
	}{
		{"response", `<reportResponse><responseCode>4100</responseCode><responseDescription>bad order</responseDescription></reportResponse>`, CodeValidationFailed, "bad order", false},
		{"done", `<reportDoneResponse><responseCode>0</responseCode><reportId>1</reportId><files/></reportDoneResponse>`, CodeOK, "", false},
		{"no code", `<reportResponse><responseDescription>?</responseDescription></reportResponse>`, 0, "", true},
		{"other root", `<html><responseCode>0</responseCode></html>`, 0, "", true},
		{"not XML", `503 Service Unavailable`, 0, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, desc, err := ParseCode([]byte(tc.body))
			if (err != nil) != tc.wantErr || code != tc.code || desc != tc.desc {
				t.Errorf("ParseCode = %v, %q, %v; want %v, %q, error %v", code, desc, err, tc.code, tc.desc, tc.wantErr)
			}
		})
	}
}
