package cybertip

import (
	"encoding/xml"
	"time"
)

// FileDetails is the <fileDetails> document posted to /fileinfo once per
// uploaded file, after /upload has given the file its id.
type FileDetails struct {
	XMLName                xml.Name   `xml:"fileDetails"`
	ReportID               int64      `xml:"reportId"`
	FileID                 string     `xml:"fileId"`
	OriginalFileName       string     `xml:"originalFileName,omitempty"`
	UploadedToESPTimestamp *time.Time `xml:"uploadedToEspTimestamp,omitempty"`
	// LocationOfFile is the URL where the file was.
	LocationOfFile string `xml:"locationOfFile,omitempty"`
	// FileViewedByESP and EXIFViewedByESP are always written, false
	// included: whether a person at the provider looked at the file
	// decides whether NCMEC and law enforcement may open it without a
	// warrant.
	FileViewedByESP   bool      `xml:"fileViewedByEsp"`
	EXIFViewedByESP   bool      `xml:"exifViewedByEsp"`
	PubliclyAvailable *bool     `xml:"publiclyAvailable,omitempty"`
	FileRelevance     Relevance `xml:"fileRelevance,omitempty"`
	// FileAnnotations takes the schema's choice over the bare
	// potentialMeme element, which it also contains.
	FileAnnotations        *FileAnnotations `xml:"fileAnnotations,omitempty"`
	IndustryClassification Classification   `xml:"industryClassification,omitempty"`
	OriginalFileHashes     []Hash           `xml:"originalFileHash"`
	// IPCaptureEvent is the address the file was uploaded from.
	IPCaptureEvent *IPCaptureEvent `xml:"ipCaptureEvent,omitempty"`
	AdditionalInfo string          `xml:"additionalInfo,omitempty"`
}

// FileAnnotations is the schema's fileAnnotations. Like ReportAnnotations,
// each element is fixed to true, so a tag that does not apply is absent.
type FileAnnotations struct {
	AnimeDrawingVirtualHentai bool `xml:"animeDrawingVirtualHentai,omitempty"`
	PotentialMeme             bool `xml:"potentialMeme,omitempty"`
	Viral                     bool `xml:"viral,omitempty"`
	PossibleSelfProduction    bool `xml:"possibleSelfProduction,omitempty"`
	PhysicalHarm              bool `xml:"physicalHarm,omitempty"`
	ViolenceGore              bool `xml:"violenceGore,omitempty"`
	Bestiality                bool `xml:"bestiality,omitempty"`
	LiveStreaming             bool `xml:"liveStreaming,omitempty"`
	Infant                    bool `xml:"infant,omitempty"`
	GenerativeAI              bool `xml:"generativeAi,omitempty"`
}

func (a FileAnnotations) any() bool { return a != FileAnnotations{} }

// Hash is the schema's hash type: a digest of the file as the user
// uploaded it, before any re-encoding by the platform.
type Hash struct {
	Type  string `xml:"hashType,attr"` // "MD5", "SHA1", "SHA256", ...
	Value string `xml:",chardata"`
}

// XML returns the document as sent to /fileinfo.
func (d FileDetails) XML() ([]byte, error) { return document(d, "fileDetails") }
