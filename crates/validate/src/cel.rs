//! A conservative check of CEL selector expressions (disk and volume
//! selectors), standing in for cel-go's parse and type check that Talos runs
//! on them.
//!
//! Rejected: text that is not CEL syntax, references to names the
//! environment does not declare, unknown fields of the `disk` / `volume`
//! messages, and expressions whose result is plainly not a boolean (a
//! literal or a non-boolean field). Everything cel-go's checker would need
//! overload resolution to judge (operand types of operators and functions)
//! is accepted, so a valid selector is never refused.

/// Which variables and constants an expression may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Env {
    /// Disk selectors: `disk`, `system_disk`, `glob()` and size units.
    Disk,
    /// Volume selectors: `volume`, `disk` and size units.
    Volume,
    /// Link selectors: `link`, `glob()` and `mac()` (no size units).
    Link,
}

/// Size unit constants (unsigned integers) every selector may use.
const UNITS: &[&str] = &[
    "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "kB", "MB", "GB", "TB", "PB", "EB",
];

/// Type names that read as identifiers.
const TYPE_NAMES: &[&str] = &[
    "bool",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "list",
    "map",
    "null_type",
    "type",
    "dyn",
];

/// Words CEL reserves; they cannot name anything.
const RESERVED: &[&str] = &[
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

/// Comprehension macros called on a receiver, binding a variable.
const MACROS: &[&str] = &["all", "exists", "exists_one", "map", "filter"];

/// Fields of `talos.resource.definitions.block.DiskSpec` and their types.
const DISK_FIELDS: &[(&str, Ty)] = &[
    ("size", Ty::Uint),
    ("io_size", Ty::Uint),
    ("sector_size", Ty::Uint),
    ("readonly", Ty::Bool),
    ("model", Ty::Str),
    ("serial", Ty::Str),
    ("modalias", Ty::Str),
    ("wwid", Ty::Str),
    ("bus_path", Ty::Str),
    ("sub_system", Ty::Str),
    ("transport", Ty::Str),
    ("rotational", Ty::Bool),
    ("cdrom", Ty::Bool),
    ("dev_path", Ty::Str),
    ("pretty_size", Ty::Str),
    ("secondary_disks", Ty::List),
    ("uuid", Ty::Str),
    ("symlinks", Ty::List),
    ("firmware_version", Ty::Str),
];

/// Fields of `talos.resource.definitions.block.DiscoveredVolumeSpec`.
const VOLUME_FIELDS: &[(&str, Ty)] = &[
    ("size", Ty::Uint),
    ("sector_size", Ty::Uint),
    ("io_size", Ty::Uint),
    ("name", Ty::Str),
    ("uuid", Ty::Str),
    ("label", Ty::Str),
    ("block_size", Ty::Uint),
    ("filesystem_block_size", Ty::Uint),
    ("probed_size", Ty::Uint),
    ("partition_uuid", Ty::Str),
    ("partition_type", Ty::Str),
    ("partition_label", Ty::Str),
    ("partition_index", Ty::Uint),
    ("type", Ty::Str),
    ("device_path", Ty::Str),
    ("parent", Ty::Str),
    ("dev_path", Ty::Str),
    ("parent_dev_path", Ty::Str),
    ("pretty_size", Ty::Str),
    ("offset", Ty::Uint),
];

/// Fields of `talos.resource.definitions.network.LinkStatusSpec` (enums
/// read as int; nested messages are not looked into).
const LINK_FIELDS: &[(&str, Ty)] = &[
    ("index", Ty::Uint),
    ("type", Ty::Int),
    ("link_index", Ty::Uint),
    ("flags", Ty::Uint),
    ("hardware_addr", Ty::Bytes),
    ("broadcast_addr", Ty::Bytes),
    ("mtu", Ty::Uint),
    ("queue_disc", Ty::Str),
    ("master_index", Ty::Uint),
    ("operational_state", Ty::Int),
    ("kind", Ty::Str),
    ("slave_kind", Ty::Str),
    ("bus_path", Ty::Str),
    ("pciid", Ty::Str),
    ("driver", Ty::Str),
    ("driver_version", Ty::Str),
    ("firmware_version", Ty::Str),
    ("product_id", Ty::Str),
    ("vendor_id", Ty::Str),
    ("product", Ty::Str),
    ("vendor", Ty::Str),
    ("link_state", Ty::Bool),
    ("speed_megabits", Ty::Int),
    ("port", Ty::Int),
    ("duplex", Ty::Int),
    ("vlan", Ty::Unknown),
    ("bridge_master", Ty::Unknown),
    ("bond_master", Ty::Unknown),
    ("wireguard", Ty::Unknown),
    ("permanent_addr", Ty::Bytes),
    ("alias", Ty::Str),
    ("alt_names", Ty::List),
    ("vrf_master", Ty::Unknown),
    ("veth", Ty::Unknown),
];

/// The fields of a message type and their types.
type Fields = &'static [(&'static str, Ty)];

/// What is known of an expression's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Bool,
    Int,
    Uint,
    Double,
    Str,
    Bytes,
    Null,
    List,
    Map,
    /// A message variable (`disk`, `volume`).
    Message,
    /// Not worked out.
    Unknown,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Bool => "bool",
            Ty::Int => "int",
            Ty::Uint => "uint",
            Ty::Double => "double",
            Ty::Str => "string",
            Ty::Bytes => "bytes",
            Ty::Null => "null_type",
            Ty::List => "list",
            Ty::Map => "map",
            Ty::Message => "message",
            Ty::Unknown => "dyn",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Int,
    Uint,
    Double,
    Str,
    Bytes,
    Punct(&'static str),
}

/// Splits an expression into tokens.
fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    const PUNCT: &[&str] = &[
        "==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":", ".",
        ",", "(", ")", "[", "]", "{", "}",
    ];
    while let Some(&c) = b.get(i) {
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        // Every token ends on an ASCII byte, so `i` is a char boundary.
        let rest = text.get(i..).unwrap_or_default();
        if rest.starts_with("//") {
            i = rest.find('\n').map_or(b.len(), |n| i + n);
            continue;
        }
        // String and bytes literals, with optional r/b prefixes.
        let prefix_len = rest
            .bytes()
            .take(2)
            .take_while(|p| matches!(p, b'r' | b'R' | b'b' | b'B'))
            .count();
        let prefix = rest.get(..prefix_len).unwrap_or_default();
        if matches!(b.get(i + prefix_len), Some(b'"' | b'\''))
            && (prefix_len == 0
                || prefix.len() == 1
                || prefix.eq_ignore_ascii_case("rb")
                || prefix.eq_ignore_ascii_case("br"))
        {
            let raw = prefix.contains(['r', 'R']);
            let bytes = prefix.contains(['b', 'B']);
            i = string_end(text, i + prefix_len, raw)?;
            out.push(if bytes { Tok::Bytes } else { Tok::Str });
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while b
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                i += 1;
            }
            out.push(Tok::Ident(
                text.get(start..i).unwrap_or_default().to_owned(),
            ));
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let (tok, end) = number(b, i)?;
            out.push(tok);
            i = end;
            continue;
        }
        if rest.starts_with(".?") {
            return Err("unsupported syntax '.?'".to_owned());
        }
        match PUNCT.iter().find(|p| rest.starts_with(**p)) {
            Some(p) => {
                out.push(Tok::Punct(p));
                i += p.len();
            }
            None => {
                let ch = rest.chars().next().unwrap_or('?');
                return Err(format!("token recognition error at: '{ch}'"));
            }
        }
    }
    Ok(out)
}

/// The end of a quoted literal whose quote starts at `i`.
fn string_end(text: &str, i: usize, raw: bool) -> Result<usize, String> {
    let rest = text.get(i..).unwrap_or_default();
    // The lexer calls this on an ASCII quote.
    let Some(quote) = rest.get(..1) else {
        return Err("unterminated string literal".to_owned());
    };
    let triple = quote.repeat(3);
    let (delim, mut j) = if rest.starts_with(&triple) {
        (triple.as_str(), 3)
    } else {
        (quote, 1)
    };
    let b = rest.as_bytes();
    while j < b.len() {
        // Compared as bytes: `j` may sit inside a multi-byte character.
        if b.get(j..)
            .is_some_and(|tail| tail.starts_with(delim.as_bytes()))
        {
            return Ok(i + j + delim.len());
        }
        match b.get(j) {
            Some(b'\\') if !raw => j += 2,
            Some(b'\n' | b'\r') if delim.len() == 1 => break,
            _ => j += 1,
        }
    }
    Err("unterminated string literal".to_owned())
}

/// Reads a numeric literal at `i`.
fn number(b: &[u8], mut i: usize) -> Result<(Tok, usize), String> {
    let digits = |b: &[u8], mut i: usize, hex: bool| {
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()))
        {
            i += 1;
        }
        i
    };
    if b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x' | b'X')) {
        let end = digits(b, i + 2, true);
        if end == i + 2 {
            return Err("invalid hex literal".to_owned());
        }
        return Ok(match b.get(end) {
            Some(b'u' | b'U') => (Tok::Uint, end + 1),
            _ => (Tok::Int, end),
        });
    }
    i = digits(b, i, false);
    let mut double = false;
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        double = true;
        i = digits(b, i + 1, false);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            double = true;
            i = digits(b, j, false);
        }
    }
    if double {
        return Ok((Tok::Double, i));
    }
    Ok(match b.get(i) {
        Some(b'u' | b'U') => (Tok::Uint, i + 1),
        _ => (Tok::Int, i),
    })
}

struct Parser<'a> {
    toks: &'a [Tok],
    pos: usize,
    env: Env,
    /// Comprehension variables in scope.
    bound: Vec<String>,
    /// Nesting depth of expressions.
    depth: usize,
}

/// Deepest expression nesting accepted.
const MAX_DEPTH: usize = 250;

type Parsed = Result<Ty, String>;

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn at(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }

    fn eat(&mut self, p: &str) -> bool {
        let hit = self.at(p);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expect(&mut self, p: &str) -> Result<(), String> {
        if self.eat(p) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("expecting '{p}'")))
        }
    }

    fn unexpected(&self, what: &str) -> String {
        match self.peek() {
            None => format!("mismatched input '<EOF>' {what}"),
            Some(t) => format!("mismatched input {t:?} {what}"),
        }
    }

    fn expr(&mut self) -> Parsed {
        // cel-go's parser stops at a nesting depth of 250.
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression recursion limit exceeded: 250".to_owned());
        }
        let t = self.conditional();
        self.depth -= 1;
        t
    }

    fn conditional(&mut self) -> Parsed {
        let cond = self.or()?;
        if self.eat("?") {
            self.or()?;
            self.expect(":")?;
            self.expr()?;
            return Ok(Ty::Unknown);
        }
        Ok(cond)
    }

    fn or(&mut self) -> Parsed {
        let mut t = self.and()?;
        while self.eat("||") {
            self.and()?;
            t = Ty::Bool;
        }
        Ok(t)
    }

    fn and(&mut self) -> Parsed {
        let mut t = self.relation()?;
        while self.eat("&&") {
            self.relation()?;
            t = Ty::Bool;
        }
        Ok(t)
    }

    fn relation(&mut self) -> Parsed {
        let mut t = self.addition()?;
        loop {
            let is_in = matches!(self.peek(), Some(Tok::Ident(w)) if w == "in");
            if is_in
                || ["==", "!=", "<", "<=", ">", ">="]
                    .iter()
                    .any(|p| self.at(p))
            {
                self.pos += 1;
                self.addition()?;
                t = Ty::Bool;
            } else {
                return Ok(t);
            }
        }
    }

    fn addition(&mut self) -> Parsed {
        let mut t = self.multiplication()?;
        while self.eat("+") || self.eat("-") {
            self.multiplication()?;
            t = Ty::Unknown;
        }
        Ok(t)
    }

    fn multiplication(&mut self) -> Parsed {
        let mut t = self.unary()?;
        while self.eat("*") || self.eat("/") || self.eat("%") {
            self.unary()?;
            t = Ty::Unknown;
        }
        Ok(t)
    }

    fn unary(&mut self) -> Parsed {
        if self.eat("!") {
            while self.eat("!") {}
            self.member()?;
            return Ok(Ty::Bool);
        }
        if self.eat("-") {
            while self.eat("-") {}
            let t = self.member()?;
            return Ok(if matches!(t, Ty::Int | Ty::Double) {
                t
            } else {
                Ty::Unknown
            });
        }
        self.member()
    }

    /// Arguments up to `)`; for a macro, leading plain names are bound.
    fn args(&mut self, macro_call: bool) -> Result<usize, String> {
        let mut n = 0;
        let mut bound_here = 0;
        if self.eat(")") {
            return Ok(0);
        }
        loop {
            let is_name = matches!(self.peek(), Some(Tok::Ident(_)))
                && matches!(self.toks.get(self.pos + 1), Some(Tok::Punct(",")));
            if macro_call && n == 0 {
                let Some(Tok::Ident(v)) = self.peek().cloned() else {
                    return Err("argument must be a simple name".to_owned());
                };
                if !is_name {
                    return Err("argument must be a simple name".to_owned());
                }
                self.pos += 1;
                self.bound.push(v);
                bound_here += 1;
            } else {
                self.expr()?;
            }
            n += 1;
            if self.eat(",") {
                continue;
            }
            self.expect(")")?;
            break;
        }
        self.bound.truncate(self.bound.len() - bound_here);
        Ok(n)
    }

    fn member(&mut self) -> Parsed {
        let (mut t, mut root) = self.primary()?;
        loop {
            if self.eat(".") {
                let Some(Tok::Ident(field)) = self.peek().cloned() else {
                    return Err(self.unexpected("expecting IDENTIFIER"));
                };
                self.pos += 1;
                if self.eat("(") {
                    let n = self.args(MACROS.contains(&field.as_str()))?;
                    if MACROS.contains(&field.as_str()) && n < 2 {
                        return Err(format!("{field}() macro expects 2 or more arguments"));
                    }
                    t = match field.as_str() {
                        "all" | "exists" | "exists_one" | "contains" | "startsWith"
                        | "endsWith" | "matches" => Ty::Bool,
                        _ => Ty::Unknown,
                    };
                } else {
                    t = match root.take() {
                        Some(fields) => fields
                            .iter()
                            .find(|(f, _)| *f == field)
                            .map(|(_, ty)| *ty)
                            .ok_or_else(|| format!("undefined field '{field}'"))?,
                        None => Ty::Unknown,
                    };
                }
                root = None;
            } else if self.eat("[") {
                self.expr()?;
                self.expect("]")?;
                t = Ty::Unknown;
                root = None;
            } else if self.at("{") {
                return Err("message construction is not supported here".to_owned());
            } else {
                return Ok(t);
            }
        }
    }

    /// A primary expression, with the fields of the message it names (if any).
    fn primary(&mut self) -> Result<(Ty, Option<Fields>), String> {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.unexpected("expecting an expression"));
        };
        self.pos += 1;
        let ty = match tok {
            Tok::Int => Ty::Int,
            Tok::Uint => Ty::Uint,
            Tok::Double => Ty::Double,
            Tok::Str => Ty::Str,
            Tok::Bytes => Ty::Bytes,
            Tok::Punct("(") => {
                let t = self.expr()?;
                self.expect(")")?;
                t
            }
            Tok::Punct("[") => {
                while !self.eat("]") {
                    self.expr()?;
                    if !self.eat(",") {
                        self.expect("]")?;
                        break;
                    }
                }
                Ty::List
            }
            Tok::Punct("{") => {
                while !self.eat("}") {
                    self.expr()?;
                    self.expect(":")?;
                    self.expr()?;
                    if !self.eat(",") {
                        self.expect("}")?;
                        break;
                    }
                }
                Ty::Map
            }
            Tok::Punct(".") => {
                // A name from the root namespace: `.disk`.
                match self.peek().cloned() {
                    Some(Tok::Ident(name)) => {
                        self.pos += 1;
                        return self.name(&name);
                    }
                    _ => return Err(self.unexpected("expecting IDENTIFIER")),
                }
            }
            Tok::Punct(_) => {
                self.pos -= 1;
                return Err(self.unexpected("expecting an expression"));
            }
            Tok::Ident(name) => return self.name(&name),
        };
        Ok((ty, None))
    }

    /// A name: literal keyword, function call, variable or constant.
    fn name(&mut self, name: &str) -> Result<(Ty, Option<Fields>), String> {
        match name {
            "true" | "false" => return Ok((Ty::Bool, None)),
            "null" => return Ok((Ty::Null, None)),
            "in" => return Err(self.unexpected("expecting an expression")),
            _ => {}
        }
        if RESERVED.contains(&name) {
            return Err(format!("reserved identifier: {name}"));
        }
        if self.eat("(") {
            let args = self.args(false)?;
            let t = match name {
                "has" => {
                    if args != 1 {
                        return Err("has() macro expects 1 argument".to_owned());
                    }
                    Ty::Bool
                }
                "glob" | "matches" => Ty::Bool,
                "mac" => Ty::Str,
                "size" | "int" => Ty::Int,
                "uint" => Ty::Uint,
                "double" => Ty::Double,
                "string" => Ty::Str,
                "bytes" => Ty::Bytes,
                "bool" => Ty::Bool,
                _ => Ty::Unknown,
            };
            return Ok((t, None));
        }
        if self.bound.iter().any(|b| b == name) {
            return Ok((Ty::Unknown, None));
        }
        let fields = match (name, self.env) {
            ("disk", Env::Disk | Env::Volume) => Some(DISK_FIELDS),
            ("volume", Env::Volume) => Some(VOLUME_FIELDS),
            ("link", Env::Link) => Some(LINK_FIELDS),
            _ => None,
        };
        if let Some(fields) = fields {
            return Ok((Ty::Message, Some(fields)));
        }
        if name == "system_disk" && self.env == Env::Disk {
            return Ok((Ty::Bool, None));
        }
        if UNITS.contains(&name) && self.env != Env::Link {
            return Ok((Ty::Uint, None));
        }
        if TYPE_NAMES.contains(&name) {
            return Ok((Ty::Unknown, None));
        }
        Err(format!(
            "undeclared reference to '{name}' (in container '')"
        ))
    }
}

/// Checks a selector that must yield a boolean.
pub(crate) fn check_bool(text: &str, env: Env) -> Result<(), String> {
    let toks = lex(text)?;
    let mut p = Parser {
        toks: &toks,
        pos: 0,
        env,
        bound: Vec::new(),
        depth: 0,
    };
    let t = p.expr()?;
    if p.pos != toks.len() {
        return Err(p.unexpected("expecting <EOF>"));
    }
    match t {
        Ty::Bool | Ty::Unknown => Ok(()),
        other => Err(format!(
            "expression output type is {}, expected bool",
            other.name()
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,40}") {
            let _ = check_bool(&text, Env::Disk);
        }

        #[test]
        fn never_panics_on_cel_like_text(text in r#"[a-z_ .()\[\]{}"'\\!=<>&|?:,+*/%0-9éü-]{0,40}"#) {
            let _ = check_bool(&text, Env::Volume);
        }
    }

    #[test]
    fn multi_byte_text_in_strings() {
        assert_eq!(check_bool(r#"disk.model == "é\é""#, Env::Disk), Ok(()));
        assert!(check_bool(r#"disk.model == "é"#, Env::Disk).is_err());
        assert!(check_bool("disk.model == é", Env::Disk).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}true{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(check_bool(&deep, Env::Disk).is_err());
        let nots = format!("{}true", "!(".repeat(100_000));
        assert!(check_bool(&nots, Env::Disk).is_err());
        let fine = format!("{}true{}", "(".repeat(50), ")".repeat(50));
        assert_eq!(check_bool(&fine, Env::Disk), Ok(()));
    }

    #[test]
    fn accepts_selectors_talos_documents() {
        for e in [
            r#"disk.dev_path == "/dev/sda""#,
            r#"disk.transport == "nvme""#,
            "disk.size > 120u * GB && disk.size < 1u * TB",
            r#"disk.transport == "sata" && !disk.rotational && !system_disk"#,
            r#"glob("/dev/sd*", disk.dev_path)"#,
            "true",
            r#"disk.symlinks.exists(s, s.startsWith("/dev/disk/by-id/"))"#,
            r#"'x' in disk.secondary_disks"#,
            "disk.size >= 10 * GiB // a comment",
            r#"has(disk.serial) ? disk.serial == 'a' : false"#,
            r#"size(disk.model) > 0 && disk.model.matches("^Samsung")"#,
            "(disk.size / 1024u) > 0x10u",
            "disk.size > 1.5e3",
            r#"r"raw\d" != b'x' || disk.cdrom"#,
        ] {
            assert_eq!(check_bool(e, Env::Disk), Ok(()), "{e}");
        }
        for e in [
            r#"mac(link.permanent_addr) == "00:1a:2b:3c:4d:5e""#,
            r#"glob("00:1a:2b:*", mac(link.permanent_addr))"#,
            r#"link.driver == "e1000""#,
            "link.vlan.vlan_id == 5u",
            r#"link.alt_names.exists(n, n == "wan")"#,
        ] {
            assert_eq!(check_bool(e, Env::Link), Ok(()), "{e}");
        }
        assert_eq!(
            check_bool(
                r#"volume.partition_label == "MY-DATA" && disk.serial == "S""#,
                Env::Volume
            ),
            Ok(())
        );
    }

    #[test]
    fn rejects_what_cel_go_rejects() {
        for (e, env) in [
            ("disk.size >", Env::Disk),
            ("this is not cel", Env::Disk),
            ("disk.dev_path == \"/dev/sda", Env::Disk),
            ("disk.devpath == \"/dev/sda\"", Env::Disk),
            ("foo == 1", Env::Disk),
            ("volume.name == 'x'", Env::Disk),
            ("system_disk", Env::Volume),
            ("disk.size", Env::Disk),
            ("\"/dev/sda\"", Env::Disk),
            ("1", Env::Disk),
            ("disk.size = 1", Env::Disk),
            ("(disk.cdrom", Env::Disk),
            ("disk.symlinks.exists(1, true)", Env::Disk),
            ("if == 1", Env::Disk),
            ("disk.?size", Env::Disk),
            ("link.drvier == 'e1000'", Env::Link),
            ("disk.size > 1u", Env::Link),
            ("link.mtu > 1u * GiB", Env::Link),
            ("mac(link.permanent_addr)", Env::Link),
        ] {
            assert!(check_bool(e, env).is_err(), "{e}");
        }
    }
}
