//! Three-way merge of one parsed resource: base (the desired state both sides started from),
//! ours (the local draft) and theirs (the new desired state a pull brought). It decides, field by
//! field, what merges by itself and what is a conflict, and names every conflict by the
//! [`FieldPath`] a person types to resolve it, so detection and per-field resolution are the
//! same function: run once with `&|_| None` to list the conflicts, run again with the user's
//! choices to build the resolved draft.
//!
//! Maps merge key by key. Lists merge item by item when Hedgehog gives their items an identity
//! (see [`identity`]), else by position when no side changed the length, else as one value.
//! Pure: no I/O, no database; the caller strips volatile fields before comparing.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::yaml::FieldPath;

/// Which version a conflicting place takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Ours,
    Theirs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MergeOutcome {
    /// The merged resource; None when the merge result is "deleted".
    pub value: Option<Value>,
    /// Field paths where both sides changed the same thing differently and `choose` gave no side.
    /// At those places `value` holds theirs (provisionally).
    pub conflicts: Vec<FieldPath>,
}

/// Merges `ours` and `theirs`, both derived from `base`.
///
/// `base` = the version both started from (None: did not exist), `ours` = local draft (None:
/// deleted locally), `theirs` = new upstream (None: deleted upstream). `choose` decides
/// conflicting paths (per-field resolution); pass `&|_| None` to just detect. It is called with
/// exactly the paths that end up in `conflicts` when it answers None, in document order.
///
/// List indices in paths are positions in theirs, or in ours for an item theirs does not have,
/// so a path does not depend on how other conflicts are resolved.
pub fn merge3(
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    choose: &dyn Fn(&FieldPath) -> Option<Side>,
) -> MergeOutcome {
    let mut merger = Merger { choose, conflicts: Vec::new() };
    let value = merger.merge(&FieldPath::root(), base, ours, theirs);
    MergeOutcome { value, conflicts: merger.conflicts }
}

/// The field paths where `a` and `b` differ: keys added, removed or changed, list items by
/// position when both lists have the same length (else the whole list). For telling a person
/// what replacing one version by the other changes.
pub fn differing_paths(a: Option<&Value>, b: Option<&Value>) -> Vec<FieldPath> {
    let mut out = Vec::new();
    collect_differences(&FieldPath::root(), a, b, &mut out);
    out
}

fn collect_differences(path: &FieldPath, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<FieldPath>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            for (k, v) in x {
                collect_differences(&path.key(k), Some(v), y.get(k), out);
            }
            for (k, v) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                collect_differences(&path.key(k), None, Some(v), out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) if x.len() == y.len() => {
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                collect_differences(&path.index(i), Some(u), Some(v), out);
            }
        }
        _ => out.push(path.clone()),
    }
}

struct Merger<'c> {
    choose: &'c dyn Fn(&FieldPath) -> Option<Side>,
    conflicts: Vec<FieldPath>,
}

impl Merger<'_> {
    /// Merges one place. `None` is "absent" on input and "remove it" on output.
    fn merge(
        &mut self,
        path: &FieldPath,
        base: Option<&Value>,
        ours: Option<&Value>,
        theirs: Option<&Value>,
    ) -> Option<Value> {
        if ours == theirs || ours == base {
            return theirs.cloned();
        }
        if theirs == base {
            return ours.cloned();
        }
        // Both sides changed this place, differently.
        match (ours, theirs) {
            (Some(Value::Object(o)), Some(Value::Object(t))) => {
                Some(Value::Object(self.merge_maps(path, base.and_then(Value::as_object), o, t)))
            }
            (Some(Value::Array(o)), Some(Value::Array(t))) => {
                match self.merge_lists(path, base.and_then(Value::as_array), o, t) {
                    Some(items) => Some(Value::Array(items)),
                    None => self.conflict(path, ours, theirs),
                }
            }
            // A scalar changed twice, a change of type, or an edit against a delete.
            _ => self.conflict(path, ours, theirs),
        }
    }

    fn conflict(&mut self, path: &FieldPath, ours: Option<&Value>, theirs: Option<&Value>) -> Option<Value> {
        match (self.choose)(path) {
            Some(Side::Ours) => ours.cloned(),
            Some(Side::Theirs) => theirs.cloned(),
            None => {
                self.conflicts.push(path.clone());
                theirs.cloned()
            }
        }
    }

    /// Union of keys: theirs' keys in theirs' order, then the keys only ours has, in ours' order.
    /// A base that is not a map (or absent) counts as a map without keys.
    fn merge_maps(
        &mut self,
        path: &FieldPath,
        base: Option<&Map<String, Value>>,
        ours: &Map<String, Value>,
        theirs: &Map<String, Value>,
    ) -> Map<String, Value> {
        let base_of = |k: &str| base.and_then(|b| b.get(k));
        let mut out = Map::new();
        for (key, t) in theirs {
            if let Some(v) = self.merge(&path.key(key), base_of(key), ours.get(key), Some(t)) {
                out.insert(key.clone(), v);
            }
        }
        for (key, o) in ours {
            if theirs.contains_key(key) {
                continue;
            }
            if let Some(v) = self.merge(&path.key(key), base_of(key), Some(o), None) {
                out.insert(key.clone(), v);
            }
        }
        out
    }

    /// Item by item when the items have a natural identity, else by position when all three
    /// lists have the same length (a missing base has no say), else None: the whole list is one
    /// conflicting value.
    fn merge_lists(
        &mut self,
        path: &FieldPath,
        base: Option<&Vec<Value>>,
        ours: &[Value],
        theirs: &[Value],
    ) -> Option<Vec<Value>> {
        let base_items: &[Value] = base.map_or(&[], Vec::as_slice);
        if let Some(classes) = match_items(base_items, ours, theirs) {
            return Some(self.merge_keyed(path, base_items, ours, theirs, &classes));
        }
        let same_length = ours.len() == theirs.len() && base.is_none_or(|b| b.len() == ours.len());
        if !same_length {
            return None;
        }
        let mut out = Vec::with_capacity(theirs.len());
        for (i, (o, t)) in ours.iter().zip(theirs).enumerate() {
            // Both sides hold an item here, so the merge (or either choice) is an item.
            if let Some(v) = self.merge(&path.index(i), base_items.get(i), Some(o), Some(t)) {
                out.push(v);
            }
        }
        Some(out)
    }

    /// Theirs' items in theirs' order, then the items only ours has, in ours' order. Each item
    /// merges with its counterparts; an item merged to "absent" disappears.
    fn merge_keyed(
        &mut self,
        path: &FieldPath,
        base: &[Value],
        ours: &[Value],
        theirs: &[Value],
        classes: &Classes,
    ) -> Vec<Value> {
        let mut out = Vec::with_capacity(theirs.len().max(ours.len()));
        for (i, t) in theirs.iter().enumerate() {
            let class = classes.of_theirs(i);
            let b = class.base.and_then(|j| base.get(j));
            let o = class.ours.and_then(|j| ours.get(j));
            if let Some(v) = self.merge(&path.index(i), b, o, Some(t)) {
                out.push(v);
            }
        }
        for (i, o) in ours.iter().enumerate() {
            let class = classes.of_ours(i);
            if class.theirs.is_some() {
                continue;
            }
            let b = class.base.and_then(|j| base.get(j));
            if let Some(v) = self.merge(&path.index(i), b, Some(o), None) {
                out.push(v);
            }
        }
        out
    }
}

/// The tokens that identify a list item across versions, or None when the item has no natural
/// identity. Two items (in different versions) are the same item when they share a token:
///
/// - a map with a string `name`: that name (ServerProfile nics and their ports, ...);
/// - a map whose every value is a map with a string `port`: each of those ports (Connection
///   links `{server: {port}, switch: {port}}`, `{leaf: {port}, spine: {port}}`,
///   `{switch1: {port}, switch2: {port}}`, ...). Any shared port is enough, because a port
///   belongs to one link only: changing one end of a link is an edit of that link, not a
///   delete plus an add, so two sides changing the same end differently is a conflict at
///   `links[i].switch.port` instead of two links on one port;
/// - any other map: its keys, sorted (VPCPeering permit entries `{vpc-1: {}, vpc-2: {}}`);
/// - a scalar: itself, so a list of scalars merges as a set (Switch groups, VPC subnets of a
///   peering, ...);
/// - a list: none.
pub(crate) fn identity(item: &Value) -> Option<Vec<String>> {
    match item {
        Value::Object(map) => {
            if let Some(Value::String(name)) = map.get("name") {
                return Some(vec![format!("name\u{0}{name}")]);
            }
            let ports: Option<Vec<String>> = map
                .values()
                .map(|v| match v.get("port") {
                    Some(Value::String(port)) => Some(format!("port\u{0}{port}")),
                    _ => None,
                })
                .collect();
            match ports {
                Some(ports) if !ports.is_empty() => Some(ports),
                _ => {
                    let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
                    keys.sort_unstable();
                    Some(vec![format!("keys\u{0}{}", keys.join("\u{0}"))])
                }
            }
        }
        Value::Array(_) => None,
        scalar => Some(vec![format!("scalar\u{0}{scalar}")]),
    }
}

/// One item's counterparts: its position in each version that has it.
#[derive(Debug, Clone, Copy, Default)]
struct Class {
    base: Option<usize>,
    ours: Option<usize>,
    theirs: Option<usize>,
}

/// The identity classes of the items of three lists, with each item's class.
struct Classes {
    classes: Vec<Class>,
    ours: Vec<usize>,
    theirs: Vec<usize>,
}

impl Classes {
    fn of_ours(&self, i: usize) -> Class {
        self.ours.get(i).and_then(|&c| self.classes.get(c)).copied().unwrap_or_default()
    }

    fn of_theirs(&self, i: usize) -> Class {
        self.theirs.get(i).and_then(|&c| self.classes.get(c)).copied().unwrap_or_default()
    }
}

/// Pairs up the items of the three lists by identity. None (no natural key) when an item has no
/// identity, or when identities are not one-to-one: two items of one list share a token
/// (duplicates), or one item's tokens lead to two items of another list.
fn match_items(base: &[Value], ours: &[Value], theirs: &[Value]) -> Option<Classes> {
    let lists = [base, ours, theirs];
    let total = base.len() + ours.len() + theirs.len();
    // Union-find over all items, numbered base first, then ours, then theirs.
    let mut parent: Vec<usize> = (0..total).collect();
    let mut first_with: HashMap<String, usize> = HashMap::new();
    let mut n = 0;
    for list in lists {
        for item in list {
            for token in identity(item)? {
                match first_with.get(&token) {
                    Some(&other) => union(&mut parent, n, other),
                    None => {
                        first_with.insert(token, n);
                    }
                }
            }
            n += 1;
        }
    }
    let mut class_of_root: HashMap<usize, usize> = HashMap::new();
    let mut classes: Vec<Class> = Vec::new();
    let mut item_class: Vec<usize> = Vec::with_capacity(total);
    let mut n = 0;
    for (which, list) in lists.iter().enumerate() {
        for position in 0..list.len() {
            let root = find(&mut parent, n);
            let next = classes.len();
            let c = *class_of_root.entry(root).or_insert(next);
            if c == next {
                classes.push(Class::default());
            }
            let slot = match which {
                0 => &mut classes[c].base,
                1 => &mut classes[c].ours,
                _ => &mut classes[c].theirs,
            };
            if slot.is_some() {
                return None;
            }
            *slot = Some(position);
            item_class.push(c);
            n += 1;
        }
    }
    let theirs_classes = item_class.split_off(base.len() + ours.len());
    let ours_classes = item_class.split_off(base.len());
    Some(Classes { classes, ours: ours_classes, theirs: theirs_classes })
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
