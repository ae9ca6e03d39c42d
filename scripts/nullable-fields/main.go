// Command nullable-fields lists where the Mattermost server can send JSON `null` for a list or an
// object: Go's encoding/json writes a nil slice, a nil map and a nil pointer as `null` unless the
// struct field says `omitempty`.
//
//	go run ./scripts/nullable-fields -public <server/public module dir> -server <server/v8 module dir> [-out table.json]
//
// It reads source only (go/parser and go/ast, no type checking, nothing compiled), in two parts:
//
//   - fields: every exported JSON field of a struct in public/model whose type is a slice, a map or a
//     pointer to a struct (directly or through a named type of the package) and whose tag has no
//     `omitempty`. Named types with their own MarshalJSON are left out (they decide for themselves).
//     Pointers to scalars are left out too: the ones without omitempty are nearly all settings that
//     SetDefaults fills (model.Config) and the spec types them as scalars.
//   - handlers: every route of channels/api4 whose handler writes a slice or map value as the whole
//     body (`json.Marshal(v)` then `w.Write`, or `json.NewEncoder(w).Encode(v)`), with whether that
//     value can be nil. The value is followed through the handler, the App method it came from
//     (channels/app) and the store method behind that (channels/store/sqlstore): `var v []T` that
//     nothing replaces, or a `nil` returned without an error, is nil when there is nothing to list;
//     a composite literal, make(...), or an `if v == nil { v = ... }` guard is not. `nil` says
//     "yes", "no" or "unknown" (the chain ends somewhere this program does not follow), with the
//     chain of functions read as evidence.
//
// The output is JSON, sorted, with file paths relative to the module roots, so that the same
// sources give the same bytes. scripts/nullable-fields/write.mjs turns it into an overlay.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Field is a struct field that encodes as null when it is nil.
type Field struct {
	Struct string `json:"struct"`
	Field  string `json:"field"`
	JSON   string `json:"json"`
	Kind   string `json:"kind"` // "slice", "map" or "pointer"
	GoType string `json:"goType"`
	File   string `json:"file"`
	Line   int    `json:"line"`
}

// Handler is a route whose whole answer is a slice or map value.
type Handler struct {
	Method   string   `json:"method"`
	Route    string   `json:"route"`
	Handler  string   `json:"handler"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Kind     string   `json:"kind"` // "slice" or "map"
	GoType   string   `json:"goType"`
	Nil      string   `json:"nil"` // "yes", "no" or "unknown"
	Evidence []string `json:"evidence"`
}

// Table is the program's output.
type Table struct {
	Public   string    `json:"public"`
	Server   string    `json:"server"`
	Fields   []Field   `json:"fields"`
	Handlers []Handler `json:"handlers"`
}

type pkg struct {
	root  string // module root, for relative file names
	fset  *token.FileSet
	files []*ast.File
	// funcs by "Recv.Name" (receiver type name without *) or "Name" for plain functions.
	funcs map[string]*ast.FuncDecl
	types map[string]*ast.TypeSpec
	// named types that have a MarshalJSON method.
	marshalers map[string]bool
}

func load(dir, root string) (*pkg, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	p := &pkg{root: root, fset: fset, funcs: map[string]*ast.FuncDecl{}, types: map[string]*ast.TypeSpec{}, marshalers: map[string]bool{}}
	for _, entry := range entries {
		name := entry.Name()
		if entry.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		p.files = append(p.files, file)
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				key := d.Name.Name
				if d.Recv != nil && len(d.Recv.List) > 0 {
					recv := typeName(d.Recv.List[0].Type)
					key = recv + "." + key
					if d.Name.Name == "MarshalJSON" {
						p.marshalers[recv] = true
					}
				}
				if _, seen := p.funcs[key]; !seen {
					p.funcs[key] = d
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if ts, ok := spec.(*ast.TypeSpec); ok {
						p.types[ts.Name.Name] = ts
					}
				}
			}
		}
	}
	return p, nil
}

func (p *pkg) where(pos token.Pos) (string, int) {
	position := p.fset.Position(pos)
	rel, err := filepath.Rel(p.root, position.Filename)
	if err != nil {
		rel = position.Filename
	}
	return filepath.ToSlash(rel), position.Line
}

// typeName is the bare name of a receiver or named type: `*App` → "App", `model.Post` → "Post".
func typeName(expr ast.Expr) string {
	switch t := expr.(type) {
	case *ast.StarExpr:
		return typeName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.IndexExpr:
		return typeName(t.X)
	case *ast.IndexListExpr:
		return typeName(t.X)
	}
	return ""
}

func render(_ *token.FileSet, expr ast.Expr) string {
	var b strings.Builder
	writeType(&b, expr)
	return b.String()
}

func writeType(b *strings.Builder, expr ast.Expr) {
	switch t := expr.(type) {
	case *ast.Ident:
		b.WriteString(t.Name)
	case *ast.SelectorExpr:
		writeType(b, t.X)
		b.WriteString(".")
		b.WriteString(t.Sel.Name)
	case *ast.StarExpr:
		b.WriteString("*")
		writeType(b, t.X)
	case *ast.ArrayType:
		b.WriteString("[")
		if t.Len != nil {
			b.WriteString("N")
		}
		b.WriteString("]")
		writeType(b, t.Elt)
	case *ast.MapType:
		b.WriteString("map[")
		writeType(b, t.Key)
		b.WriteString("]")
		writeType(b, t.Value)
	case *ast.InterfaceType:
		b.WriteString("any")
	case *ast.IndexExpr:
		writeType(b, t.X)
		b.WriteString("[")
		writeType(b, t.Index)
		b.WriteString("]")
	default:
		b.WriteString("?")
	}
}

// kindOf says whether a field of this type encodes as null when nil: "slice", "map", "pointer"
// (to a struct), or "" (never null, a custom marshaler, or a pointer to a scalar).
func (p *pkg) kindOf(expr ast.Expr, depth int) string {
	if depth > 8 {
		return ""
	}
	switch t := expr.(type) {
	case *ast.ArrayType:
		if t.Len == nil {
			return "slice"
		}
	case *ast.MapType:
		return "map"
	case *ast.StarExpr:
		if p.isStruct(t.X, 0) {
			return "pointer"
		}
	case *ast.Ident:
		if p.marshalers[t.Name] {
			return ""
		}
		if ts, ok := p.types[t.Name]; ok && ts.TypeParams == nil {
			if _, isStruct := ts.Type.(*ast.StructType); isStruct {
				return ""
			}
			return p.kindOf(ts.Type, depth+1)
		}
	}
	return ""
}

func (p *pkg) isStruct(expr ast.Expr, depth int) bool {
	if depth > 8 {
		return false
	}
	switch t := expr.(type) {
	case *ast.StructType:
		return true
	case *ast.Ident:
		if p.marshalers[t.Name] {
			return false
		}
		if ts, ok := p.types[t.Name]; ok {
			return p.isStruct(ts.Type, depth+1)
		}
	case *ast.SelectorExpr:
		// A struct of another package (time.Time has a MarshalJSON; most others are structs).
		return t.Sel.Name != "Time" && t.Sel.Name != "RawMessage"
	}
	return false
}

func nullableFields(model *pkg) []Field {
	var fields []Field
	for _, file := range model.files {
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.TYPE {
				continue
			}
			for _, spec := range gen.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok || !ts.Name.IsExported() || model.marshalers[ts.Name.Name] {
					continue
				}
				for _, f := range st.Fields.List {
					if f.Tag == nil || len(f.Names) == 0 {
						continue
					}
					tagText, err := strconv.Unquote(f.Tag.Value)
					if err != nil {
						continue
					}
					tag, ok := reflect.StructTag(tagText).Lookup("json")
					if !ok || tag == "-" {
						continue
					}
					parts := strings.Split(tag, ",")
					if contains(parts[1:], "omitempty") || contains(parts[1:], "string") || contains(parts[1:], "omitzero") {
						continue
					}
					kind := model.kindOf(f.Type, 0)
					if kind == "" {
						continue
					}
					for _, name := range f.Names {
						if !name.IsExported() {
							continue
						}
						jsonName := parts[0]
						if jsonName == "" {
							jsonName = name.Name
						}
						file, line := model.where(name.Pos())
						fields = append(fields, Field{Struct: ts.Name.Name, Field: name.Name, JSON: jsonName, Kind: kind, GoType: render(model.fset, f.Type), File: file, Line: line})
					}
				}
			}
		}
	}
	sort.Slice(fields, func(i, j int) bool {
		if fields[i].Struct != fields[j].Struct {
			return fields[i].Struct < fields[j].Struct
		}
		return fields[i].JSON < fields[j].JSON
	})
	return fields
}

// StructField is one JSON field of a model struct, for `-structs` (the always-sent overlay: a
// field without omitempty is always in the JSON).
type StructField struct {
	Struct    string `json:"struct"`
	JSON      string `json:"json"`
	Omitempty bool   `json:"omitempty"`
	GoType    string `json:"goType"`
	File      string `json:"file"`
	Line      int    `json:"line"`
}

func structFields(model *pkg) []StructField {
	var out []StructField
	for _, file := range model.files {
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.TYPE {
				continue
			}
			for _, spec := range gen.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok || !ts.Name.IsExported() || model.marshalers[ts.Name.Name] {
					continue
				}
				for _, f := range st.Fields.List {
					if len(f.Names) == 0 {
						continue
					}
					// An untagged exported field is sent under its Go name (model.Config's are).
					tag := ""
					if f.Tag != nil {
						tagText, err := strconv.Unquote(f.Tag.Value)
						if err != nil {
							continue
						}
						tag = reflect.StructTag(tagText).Get("json")
					}
					if tag == "-" {
						continue
					}
					parts := strings.Split(tag, ",")
					for _, name := range f.Names {
						if !name.IsExported() {
							continue
						}
						jsonName := parts[0]
						if jsonName == "" {
							jsonName = name.Name
						}
						file, line := model.where(name.Pos())
						omit := contains(parts[1:], "omitempty") || contains(parts[1:], "omitzero")
						out = append(out, StructField{Struct: ts.Name.Name, JSON: jsonName, Omitempty: omit, GoType: render(model.fset, f.Type), File: file, Line: line})
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Struct != out[j].Struct {
			return out[i].Struct < out[j].Struct
		}
		return out[i].JSON < out[j].JSON
	})
	return out
}

func contains(list []string, value string) bool {
	for _, item := range list {
		if item == value {
			return true
		}
	}
	return false
}

// --- Handlers -----------------------------------------------------------------------------------

type analysis struct {
	api, app, sqlstore *pkg
}

// routes reads `api.BaseRoutes.X = api.BaseRoutes.Y.PathPrefix("/p").Subrouter()` and every
// `api.BaseRoutes.X.Handle("/p", api.Wrapper(handler)).Methods(...)`.
func (a *analysis) routes() []Handler {
	prefixes := map[string]string{"Root": "", "APIRoot": "/api/v4"}
	parents := map[string][2]string{}
	for _, file := range a.api.files {
		ast.Inspect(file, func(node ast.Node) bool {
			assign, ok := node.(*ast.AssignStmt)
			if !ok || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 {
				return true
			}
			target := baseRoute(assign.Lhs[0])
			if target == "" || target == "Root" || target == "APIRoot" {
				return true
			}
			// X.PathPrefix("/p").Subrouter()
			call, ok := assign.Rhs[0].(*ast.CallExpr)
			if !ok {
				return true
			}
			sub, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sub.Sel.Name != "Subrouter" {
				return true
			}
			prefixCall, ok := sub.X.(*ast.CallExpr)
			if !ok || len(prefixCall.Args) != 1 {
				return true
			}
			prefixSel, ok := prefixCall.Fun.(*ast.SelectorExpr)
			if !ok || prefixSel.Sel.Name != "PathPrefix" {
				return true
			}
			parent := baseRoute(prefixSel.X)
			text, ok := stringLit(prefixCall.Args[0])
			if parent == "" || !ok {
				return true
			}
			if _, seen := parents[target]; !seen {
				parents[target] = [2]string{parent, text}
			}
			return true
		})
	}
	var resolve func(name string, depth int) (string, bool)
	resolve = func(name string, depth int) (string, bool) {
		if prefix, ok := prefixes[name]; ok {
			return prefix, true
		}
		link, ok := parents[name]
		if !ok || depth > 20 {
			return "", false
		}
		parent, ok := resolve(link[0], depth+1)
		if !ok {
			return "", false
		}
		prefixes[name] = parent + link[1]
		return prefixes[name], true
	}

	seen := map[string]bool{}
	var handlers []Handler
	for _, file := range a.api.files {
		ast.Inspect(file, func(node ast.Node) bool {
			// <Handle call>.Methods(m...)
			methods, ok := node.(*ast.CallExpr)
			if !ok {
				return true
			}
			methodsSel, ok := methods.Fun.(*ast.SelectorExpr)
			if !ok || methodsSel.Sel.Name != "Methods" {
				return true
			}
			handle, ok := methodsSel.X.(*ast.CallExpr)
			if !ok || len(handle.Args) != 2 {
				return true
			}
			handleSel, ok := handle.Fun.(*ast.SelectorExpr)
			if !ok || handleSel.Sel.Name != "Handle" {
				return true
			}
			prefix, ok := resolve(baseRoute(handleSel.X), 0)
			if !ok {
				return true
			}
			path, ok := stringLit(handle.Args[0])
			if !ok {
				return true
			}
			name := handlerName(handle.Args[1])
			if name == "" {
				return true
			}
			for _, m := range methods.Args {
				method := httpMethod(m)
				if method == "" {
					continue
				}
				route := cleanRoute(prefix + path)
				key := method + " " + route + " " + name
				if seen[key] {
					continue
				}
				seen[key] = true
				handlers = append(handlers, Handler{Method: method, Route: route, Handler: name})
			}
			return true
		})
	}
	return handlers
}

// baseRoute: `api.BaseRoutes.X` → "X".
func baseRoute(expr ast.Expr) string {
	sel, ok := expr.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	inner, ok := sel.X.(*ast.SelectorExpr)
	if !ok || inner.Sel.Name != "BaseRoutes" {
		return ""
	}
	return sel.Sel.Name
}

func stringLit(expr ast.Expr) (string, bool) {
	lit, ok := expr.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	text, err := strconv.Unquote(lit.Value)
	return text, err == nil
}

// handlerName: `api.APISessionRequired(getReactions)` → "getReactions" (the innermost identifier).
func handlerName(expr ast.Expr) string {
	switch e := expr.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.CallExpr:
		for _, arg := range e.Args {
			if name := handlerName(arg); name != "" {
				return name
			}
		}
	}
	return ""
}

func httpMethod(expr ast.Expr) string {
	if text, ok := stringLit(expr); ok {
		return strings.ToUpper(text)
	}
	if sel, ok := expr.(*ast.SelectorExpr); ok && strings.HasPrefix(sel.Sel.Name, "Method") {
		return strings.ToUpper(strings.TrimPrefix(sel.Sel.Name, "Method"))
	}
	return ""
}

// cleanRoute: `{post_id:[A-Za-z0-9]+}` → `{post_id}`.
func cleanRoute(route string) string {
	var b strings.Builder
	depth := 0
	skipping := false
	for _, r := range route {
		switch {
		case r == '{':
			depth++
			if depth == 1 {
				skipping = false
			}
			b.WriteRune(r)
			continue
		case r == '}':
			depth--
			if depth == 0 {
				skipping = false
				b.WriteRune(r)
			}
			continue
		case depth == 1 && r == ':':
			skipping = true
			continue
		}
		if depth > 0 && skipping || depth > 1 {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// responseValue finds the value a handler writes as its whole body: `js, err := json.Marshal(v)`
// followed by `w.Write(js)`, or `json.NewEncoder(w).Encode(v)`. Only the first is taken.
func responseValue(fn *ast.FuncDecl) ast.Expr {
	var value ast.Expr
	marshaled := map[string]ast.Expr{}
	ast.Inspect(fn.Body, func(node ast.Node) bool {
		if value != nil {
			return false
		}
		switch n := node.(type) {
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && len(n.Lhs) >= 1 {
				if call, ok := n.Rhs[0].(*ast.CallExpr); ok && isCall(call, "json", "Marshal") && len(call.Args) == 1 {
					if id, ok := n.Lhs[0].(*ast.Ident); ok {
						marshaled[id.Name] = call.Args[0]
					}
				}
			}
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Encode" && len(n.Args) == 1 {
				if inner, ok := sel.X.(*ast.CallExpr); ok && isCall(inner, "json", "NewEncoder") {
					value = n.Args[0]
					return false
				}
			}
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Write" && len(n.Args) == 1 {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "w" {
					if arg, ok := n.Args[0].(*ast.Ident); ok {
						if v, ok := marshaled[arg.Name]; ok {
							value = v
							return false
						}
					}
				}
			}
		}
		return true
	})
	return value
}

func isCall(call *ast.CallExpr, pkgName, name string) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkgName
}

// verdict of a may-be-nil question, with the chain read.
type verdict struct {
	nil      string // yes, no, unknown
	kind     string // slice, map, "" when not known to be either
	goType   string
	evidence []string
}

func combine(a, b verdict) verdict {
	out := a
	if out.kind == "" {
		out.kind, out.goType = b.kind, b.goType
	}
	rank := map[string]int{"no": 0, "unknown": 1, "yes": 2}
	if rank[b.nil] > rank[a.nil] {
		out.nil = b.nil
	}
	out.evidence = append(append([]string{}, a.evidence...), b.evidence...)
	return out
}

// collectionKind of a declared type: "slice", "map" or "".
func collectionKind(expr ast.Expr) string {
	switch t := expr.(type) {
	case *ast.ArrayType:
		if t.Len == nil {
			return "slice"
		}
	case *ast.MapType:
		return "map"
	}
	return ""
}

// nonNilLiteral: a composite literal, make(...), or a conversion of one.
func nonNilLiteral(expr ast.Expr) bool {
	switch e := expr.(type) {
	case *ast.CompositeLit:
		return true
	case *ast.CallExpr:
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "make" {
			return true
		}
	case *ast.UnaryExpr:
		return e.Op == token.AND
	}
	return false
}

func isNil(expr ast.Expr) bool {
	id, ok := expr.(*ast.Ident)
	return ok && id.Name == "nil"
}

// guarded: the function replaces a nil or empty value before use: `if v == nil { v = <literal> }`
// or `if len(v) == 0 { v = <literal> }`.
func guarded(body *ast.BlockStmt, name string) bool {
	found := false
	ast.Inspect(body, func(node ast.Node) bool {
		ifStmt, ok := node.(*ast.IfStmt)
		if !ok || found {
			return !found
		}
		bin, ok := ifStmt.Cond.(*ast.BinaryExpr)
		if !ok || bin.Op != token.EQL {
			return true
		}
		subject := ""
		if id, ok := bin.X.(*ast.Ident); ok && isNil(bin.Y) {
			subject = id.Name
		}
		if call, ok := bin.X.(*ast.CallExpr); ok {
			if fn, ok := call.Fun.(*ast.Ident); ok && fn.Name == "len" && len(call.Args) == 1 {
				if id, ok := call.Args[0].(*ast.Ident); ok {
					if lit, ok := bin.Y.(*ast.BasicLit); ok && lit.Value == "0" {
						subject = id.Name
					}
				}
			}
		}
		if subject != name {
			return true
		}
		for _, stmt := range ifStmt.Body.List {
			if assign, ok := stmt.(*ast.AssignStmt); ok && len(assign.Lhs) == 1 && len(assign.Rhs) == 1 {
				if id, ok := assign.Lhs[0].(*ast.Ident); ok && id.Name == name && nonNilLiteral(assign.Rhs[0]) {
					found = true
				}
			}
		}
		return true
	})
	return found
}

// ident follows a local variable: its declaration and every assignment to it.
func (a *analysis) ident(p *pkg, fn *ast.FuncDecl, name string, depth int) verdict {
	if guarded(fn.Body, name) {
		return verdict{nil: "no", evidence: []string{fmt.Sprintf("%s: %s is replaced when nil or empty", a.funcLabel(p, fn), name)}}
	}
	result := verdict{nil: "no"}
	sources := 0
	declaredNil := false
	var declaredType ast.Expr
	ast.Inspect(fn.Body, func(node ast.Node) bool {
		switch n := node.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if id.Name != name {
					continue
				}
				if i < len(n.Values) {
					sources++
					result = combine(result, a.expr(p, fn, n.Values[i], depth))
				} else if len(n.Values) == 0 {
					declaredNil = true
					declaredType = n.Type
				}
			}
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok || id.Name != name {
					continue
				}
				if len(n.Rhs) == len(n.Lhs) {
					rhs := n.Rhs[i]
					// v = append(v, ...) keeps v's nil-ness when the loop runs zero times.
					if call, ok := rhs.(*ast.CallExpr); ok {
						if fnID, ok := call.Fun.(*ast.Ident); ok && fnID.Name == "append" && len(call.Args) > 0 {
							if first, ok := call.Args[0].(*ast.Ident); ok && first.Name == name {
								continue
							}
						}
					}
					sources++
					result = combine(result, a.expr(p, fn, rhs, depth))
				} else if len(n.Rhs) == 1 && i == 0 {
					sources++
					result = combine(result, a.expr(p, fn, n.Rhs[0], depth))
				}
			}
		}
		return true
	})
	// `var v []T` that no assignment replaces (filled by a query, sqlx Select into &v, or by
	// appends in a loop) stays nil with no rows. When assignments replace it, they decide.
	if declaredNil && sources == 0 {
		kind := collectionKind(declaredType)
		v := verdict{nil: "no", kind: kind, goType: render(p.fset, declaredType)}
		if kind != "" {
			v.nil = "yes"
			v.evidence = []string{fmt.Sprintf("%s: var %s %s stays nil when nothing is added", a.funcLabel(p, fn), name, render(p.fset, declaredType))}
		}
		result = combine(v, result)
	}
	if sources == 0 && !declaredNil {
		return verdict{nil: "unknown", evidence: []string{fmt.Sprintf("%s: %s is not a local value this program follows", a.funcLabel(p, fn), name)}}
	}
	return result
}

func (a *analysis) funcLabel(p *pkg, fn *ast.FuncDecl) string {
	file, line := p.where(fn.Pos())
	name := fn.Name.Name
	if fn.Recv != nil && len(fn.Recv.List) > 0 {
		name = typeName(fn.Recv.List[0].Type) + "." + name
	}
	return fmt.Sprintf("%s (%s:%d)", name, file, line)
}

// expr: can this expression be a nil slice or map?
func (a *analysis) expr(p *pkg, fn *ast.FuncDecl, expr ast.Expr, depth int) verdict {
	if depth > 6 {
		return verdict{nil: "unknown", evidence: []string{"the chain is too deep to follow"}}
	}
	switch e := expr.(type) {
	case *ast.ParenExpr:
		return a.expr(p, fn, e.X, depth)
	case *ast.CompositeLit:
		return verdict{nil: "no", kind: collectionKind(e.Type), goType: render(p.fset, e.Type), evidence: []string{fmt.Sprintf("%s: a %s literal", a.funcLabel(p, fn), render(p.fset, e.Type))}}
	case *ast.UnaryExpr:
		return verdict{nil: "no"}
	case *ast.Ident:
		if e.Name == "nil" {
			return verdict{nil: "yes", evidence: []string{fmt.Sprintf("%s: nil", a.funcLabel(p, fn))}}
		}
		return a.ident(p, fn, e.Name, depth)
	case *ast.CallExpr:
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "make" && len(e.Args) > 0 {
			return verdict{nil: "no", kind: collectionKind(e.Args[0]), goType: render(p.fset, e.Args[0]), evidence: []string{fmt.Sprintf("%s: make(%s)", a.funcLabel(p, fn), render(p.fset, e.Args[0]))}}
		}
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "append" && len(e.Args) > 0 {
			if len(e.Args) >= 2 && !e.Ellipsis.IsValid() {
				return verdict{nil: "no"}
			}
			return a.expr(p, fn, e.Args[0], depth)
		}
		return a.call(p, fn, e, depth)
	}
	return verdict{nil: "unknown", evidence: []string{fmt.Sprintf("%s: an expression this program does not follow", a.funcLabel(p, fn))}}
}

// call resolves `c.App.M(...)`, `a.M(...)` (channels/app) and `...Store().X().M(...)` (sqlstore).
func (a *analysis) call(p *pkg, fn *ast.FuncDecl, call *ast.CallExpr, depth int) verdict {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		if id, ok := call.Fun.(*ast.Ident); ok {
			if target, ok := p.funcs[id.Name]; ok {
				return a.returns(p, target, depth+1)
			}
		}
		return verdict{nil: "unknown", evidence: []string{fmt.Sprintf("%s: a call this program does not follow", a.funcLabel(p, fn))}}
	}
	method := sel.Sel.Name
	// ...Store().Accessor().Method(...)
	if accessor, ok := sel.X.(*ast.CallExpr); ok {
		if accSel, ok := accessor.Fun.(*ast.SelectorExpr); ok {
			if storeCall, ok := accSel.X.(*ast.CallExpr); ok {
				if storeSel, ok := storeCall.Fun.(*ast.SelectorExpr); ok && storeSel.Sel.Name == "Store" {
					recv := "Sql" + accSel.Sel.Name + "Store"
					if target, ok := a.sqlstore.funcs[recv+"."+method]; ok {
						return a.returns(a.sqlstore, target, depth+1)
					}
					return verdict{nil: "unknown", evidence: []string{fmt.Sprintf("%s: no %s.%s in sqlstore", a.funcLabel(p, fn), recv, method)}}
				}
			}
		}
	}
	// c.App.Method(...) from a handler, a.Method(...) or a.ch.Method? within the app package.
	if a.isAppReceiver(p, sel.X) {
		if target, ok := a.app.funcs["App."+method]; ok {
			return a.returns(a.app, target, depth+1)
		}
	}
	if p == a.sqlstore {
		if target, ok := p.funcs[typeName(recvType(fn))+"."+method]; ok && isIdent(sel.X, recvName(fn)) {
			return a.returns(p, target, depth+1)
		}
	}
	return verdict{nil: "unknown", evidence: []string{fmt.Sprintf("%s: %s(...) is not followed", a.funcLabel(p, fn), render(p.fset, sel))}}
}

func (a *analysis) isAppReceiver(p *pkg, expr ast.Expr) bool {
	if p == a.api {
		sel, ok := expr.(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "App"
	}
	if p == a.app {
		id, ok := expr.(*ast.Ident)
		return ok && id.Name == "a"
	}
	return false
}

func recvType(fn *ast.FuncDecl) ast.Expr {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return nil
	}
	return fn.Recv.List[0].Type
}

func recvName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 || len(fn.Recv.List[0].Names) == 0 {
		return ""
	}
	return fn.Recv.List[0].Names[0].Name
}

func isIdent(expr ast.Expr, name string) bool {
	id, ok := expr.(*ast.Ident)
	return ok && name != "" && id.Name == name
}

// returns: can the function's first result be nil on a path that returns no error?
func (a *analysis) returns(p *pkg, fn *ast.FuncDecl, depth int) verdict {
	label := a.funcLabel(p, fn)
	if fn.Body == nil || fn.Type.Results == nil || len(fn.Type.Results.List) == 0 {
		return verdict{nil: "unknown", evidence: []string{label + ": no body or no result"}}
	}
	first := fn.Type.Results.List[0].Type
	kind := collectionKind(first)
	result := verdict{nil: "no", kind: kind, goType: render(p.fset, first), evidence: []string{label}}
	named := fn.Type.Results.List[0].Names
	ast.Inspect(fn.Body, func(node ast.Node) bool {
		if _, ok := node.(*ast.FuncLit); ok {
			return false
		}
		ret, ok := node.(*ast.ReturnStmt)
		if !ok {
			return true
		}
		if len(ret.Results) == 0 {
			if len(named) > 0 {
				result = combine(result, a.ident(p, fn, named[0].Name, depth))
			}
			return true
		}
		// A return with an error (the last result is not nil) is the failure path.
		if len(ret.Results) > 1 && !isNil(ret.Results[len(ret.Results)-1]) {
			if _, isCall := ret.Results[0].(*ast.CallExpr); !isCall || len(ret.Results) != 1 {
				return true
			}
		}
		result = combine(result, a.expr(p, fn, ret.Results[0], depth))
		return true
	})
	result.kind, result.goType = kind, render(p.fset, first)
	return result
}

func (a *analysis) handlers() []Handler {
	var out []Handler
	routes := a.routes()
	sort.SliceStable(routes, func(i, j int) bool {
		if routes[i].Route != routes[j].Route {
			return routes[i].Route < routes[j].Route
		}
		if routes[i].Method != routes[j].Method {
			return routes[i].Method < routes[j].Method
		}
		return routes[i].Handler < routes[j].Handler
	})
	for _, h := range routes {
		fn, ok := a.api.funcs[h.Handler]
		if !ok || fn.Body == nil {
			continue
		}
		// The local-mode handlers (*_local.go) answer on the admin's unix socket, not over HTTP.
		if file, _ := a.api.where(fn.Pos()); strings.HasSuffix(file, "_local.go") {
			continue
		}
		value := responseValue(fn)
		if value == nil {
			continue
		}
		v := a.expr(a.api, fn, value, 0)
		if v.kind == "" {
			continue
		}
		h.File, h.Line = a.api.where(fn.Pos())
		h.Kind, h.GoType, h.Nil = v.kind, v.goType, v.nil
		h.Evidence = dedupe(v.evidence)
		// Two registrations of one route (different wrappers) are one answer.
		if n := len(out); n > 0 && out[n-1].Method == h.Method && out[n-1].Route == h.Route && out[n-1].Handler == h.Handler {
			continue
		}
		out = append(out, h)
	}
	return out
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, item := range list {
		if !seen[item] {
			seen[item] = true
			out = append(out, item)
		}
	}
	return out
}

func main() {
	publicDir := flag.String("public", "", "the server/public module's directory (the Go module cache's github.com/mattermost/mattermost/server/public@<version>)")
	serverDir := flag.String("server", "", "the server/v8 module's directory (github.com/mattermost/mattermost/server/v8@<version>)")
	out := flag.String("out", "", "write the table here (default: standard output)")
	structs := flag.Bool("structs", false, "instead of the table, list every JSON field of public/model with its omitempty (needs only -public)")
	flag.Parse()
	if *structs && *publicDir != "" {
		model, err := load(filepath.Join(*publicDir, "model"), *publicDir)
		if err != nil {
			fmt.Fprintf(os.Stderr, "nullable-fields: reading public/model: %v\n", err)
			os.Exit(1)
		}
		data, _ := json.MarshalIndent(structFields(model), "", "  ")
		os.Stdout.Write(append(data, '\n'))
		return
	}
	if *publicDir == "" || *serverDir == "" {
		fmt.Fprintln(os.Stderr, "nullable-fields: -public and -server are required (the module directories in `go env GOMODCACHE`)")
		os.Exit(2)
	}
	fail := func(what string, err error) {
		fmt.Fprintf(os.Stderr, "nullable-fields: %s: %v\n", what, err)
		os.Exit(1)
	}
	model, err := load(filepath.Join(*publicDir, "model"), *publicDir)
	if err != nil {
		fail("reading public/model", err)
	}
	a := &analysis{}
	if a.api, err = load(filepath.Join(*serverDir, "channels", "api4"), *serverDir); err != nil {
		fail("reading channels/api4", err)
	}
	if a.app, err = load(filepath.Join(*serverDir, "channels", "app"), *serverDir); err != nil {
		fail("reading channels/app", err)
	}
	if a.sqlstore, err = load(filepath.Join(*serverDir, "channels", "store", "sqlstore"), *serverDir); err != nil {
		fail("reading channels/store/sqlstore", err)
	}
	table := Table{Public: filepath.Base(*publicDir), Server: filepath.Base(*serverDir), Fields: nullableFields(model), Handlers: a.handlers()}
	data, err := json.MarshalIndent(table, "", "  ")
	if err != nil {
		fail("encoding", err)
	}
	data = append(data, '\n')
	if *out == "" {
		os.Stdout.Write(data)
		return
	}
	tmp := *out + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		fail("writing "+*out, err)
	}
	if err := os.Rename(tmp, *out); err != nil {
		fail("writing "+*out, err)
	}
}
