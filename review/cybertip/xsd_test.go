package cybertip

import (
	"encoding/xml"
	"fmt"
	"os"
	"slices"
	"testing"
)

// schemaPath is NCMEC's schema, the file Schema embeds.
const schemaPath = "schema/cyber_tipline.xsd"

// node is any XML element, for reading both the schema and generated
// documents without a struct per element.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []node     `xml:",any"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func parseNode(t *testing.T, data []byte) node {
	t.Helper()
	var n node
	if err := xml.Unmarshal(data, &n); err != nil {
		t.Fatalf("parse XML: %v", err)
	}
	return n
}

func loadSchema(t *testing.T) node {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	return parseNode(t, data)
}

// topLevel finds the schema's global xs:element, xs:complexType or
// xs:simpleType called name.
func (schema node) topLevel(kind, name string) (node, bool) {
	for _, c := range schema.Children {
		if c.XMLName.Local == kind && c.attr("name") == name {
			return c, true
		}
	}
	return node{}, false
}

// childDecls returns the xs:element declarations a complex type allows, in
// schema order, looking through nested sequences, choices and alls but
// not into the declared elements themselves.
func childDecls(n node) []node {
	var out []node
	for _, c := range n.Children {
		switch c.XMLName.Local {
		case "element":
			out = append(out, c)
		case "complexType", "sequence", "choice", "all":
			out = append(out, childDecls(c)...)
		}
	}
	return out
}

// declName is the element name a declaration produces.
func declName(d node) string {
	if r := d.attr("ref"); r != "" {
		return r
	}
	return d.attr("name")
}

// typeOf returns the complex type that a declaration's element has: the
// referenced global element's, the named global type, or the inline one.
// ok is false for simple types.
func (schema node) typeOf(d node) (node, bool) {
	if r := d.attr("ref"); r != "" {
		el, ok := schema.topLevel("element", r)
		if !ok {
			return node{}, false
		}
		return schema.typeOf(el)
	}
	if ty := d.attr("type"); ty != "" {
		return schema.topLevel("complexType", ty)
	}
	for _, c := range d.Children {
		if c.XMLName.Local == "complexType" {
			return c, true
		}
	}
	return node{}, false
}

// sequenceOf returns the child element names of the global element or
// complex type called name, in schema order.
func (schema node) sequenceOf(t *testing.T, kind, name string) []string {
	t.Helper()
	n, ok := schema.topLevel(kind, name)
	if !ok {
		t.Fatalf("schema has no %s %q", kind, name)
	}
	var names []string
	for _, d := range childDecls(n) {
		names = append(names, declName(d))
	}
	return names
}

// enumeration returns the values of the global simple type called name,
// without the empty value some of them allow.
func (schema node) enumeration(t *testing.T, name string) []string {
	t.Helper()
	st, ok := schema.topLevel("simpleType", name)
	if !ok {
		t.Fatalf("schema has no simpleType %q", name)
	}
	var out []string
	for _, r := range st.Children {
		for _, e := range r.Children {
			if v := e.attr("value"); e.XMLName.Local == "enumeration" && v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// orderErrors lists every child of doc that the schema type def does not
// declare or that comes before a sibling the schema declares earlier,
// recursing through the whole document.
func (schema node) orderErrors(path string, doc, def node) []string {
	var errs []string
	decls := childDecls(def)
	last := -1
	for _, c := range doc.Children {
		name := c.XMLName.Local
		at := slices.IndexFunc(decls, func(d node) bool { return declName(d) == name })
		switch {
		case at < 0:
			errs = append(errs, fmt.Sprintf("%s: <%s> is not a child the schema allows", path, name))
			continue
		case at < last:
			errs = append(errs, fmt.Sprintf("%s: <%s> comes after <%s>, the schema wants it before", path, name, declName(decls[last])))
		}
		last = at
		if sub, ok := schema.typeOf(decls[at]); ok {
			errs = append(errs, schema.orderErrors(path+"/"+name, c, sub)...)
		}
	}
	return errs
}

// checkDocumentOrder checks a whole generated document against the
// schema's global element of the same name.
func checkDocumentOrder(t *testing.T, schema node, data []byte) {
	t.Helper()
	doc := parseNode(t, data)
	root, ok := schema.topLevel("element", doc.XMLName.Local)
	if !ok {
		t.Fatalf("schema has no root element <%s>", doc.XMLName.Local)
	}
	def, _ := schema.typeOf(root)
	for _, e := range schema.orderErrors(doc.XMLName.Local, doc, def) {
		t.Error(e)
	}
}
