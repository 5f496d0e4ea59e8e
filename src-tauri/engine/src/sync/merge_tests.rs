use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::{json, Value};

use super::*;

fn detect(base: Option<&Value>, ours: Option<&Value>, theirs: Option<&Value>) -> MergeOutcome {
    merge3(base, ours, theirs, &|_| None)
}

/// Merges with per-field choices written as `(path text, side)`, as the CLI's `--field` gives them.
fn resolve(base: &Value, ours: &Value, theirs: &Value, choices: &[(&str, Side)]) -> MergeOutcome {
    let chosen: HashMap<FieldPath, Side> =
        choices.iter().map(|(p, s)| (FieldPath::parse(p), *s)).collect();
    merge3(Some(base), Some(ours), Some(theirs), &|p| chosen.get(p).copied())
}

fn paths(outcome: &MergeOutcome) -> Vec<String> {
    outcome.conflicts.iter().map(ToString::to_string).collect()
}

fn switch() -> Value {
    json!({
        "apiVersion": "wiring.githedgehog.com/v1beta1",
        "kind": "Switch",
        "metadata": {"name": "leaf-01"},
        "spec": {
            "description": "leaf 1",
            "groups": ["mclag-1"],
            "profile": "vs",
            "role": "server-leaf"
        }
    })
}

fn bundled() -> Value {
    json!({
        "apiVersion": "wiring.githedgehog.com/v1beta1",
        "kind": "Connection",
        "metadata": {"name": "server-01--bundled--leaf-01"},
        "spec": {"bundled": {"links": [
            {"server": {"port": "server-01/enp2s1"}, "switch": {"port": "leaf-01/E1/1"}},
            {"server": {"port": "server-01/enp2s2"}, "switch": {"port": "leaf-01/E1/2"}},
            {"server": {"port": "server-01/enp2s3"}, "switch": {"port": "leaf-01/E1/3"}}
        ]}}
    })
}

fn links(v: &Value) -> &Vec<Value> {
    v["spec"]["bundled"]["links"].as_array().expect("test fixture has links")
}

fn links_mut(v: &mut Value) -> &mut Vec<Value> {
    v["spec"]["bundled"]["links"].as_array_mut().expect("test fixture has links")
}

// ---- whole-resource rules ----

#[test]
fn equal_sides_and_one_sided_changes_take_the_changed_side() {
    let base = switch();
    let mut changed = switch();
    changed["spec"]["description"] = json!("rack 7");

    let same = detect(Some(&base), Some(&changed), Some(&changed));
    assert_eq!(same, MergeOutcome { value: Some(changed.clone()), conflicts: vec![] });
    let theirs_only = detect(Some(&base), Some(&base), Some(&changed));
    assert_eq!(theirs_only.value, Some(changed.clone()));
    let ours_only = detect(Some(&base), Some(&changed), Some(&base));
    assert_eq!(ours_only.value, Some(changed));
    assert!(ours_only.conflicts.is_empty() && theirs_only.conflicts.is_empty());
}

#[test]
fn both_absent_is_absent_and_both_deleted_is_deleted() {
    assert_eq!(detect(None, None, None), MergeOutcome { value: None, conflicts: vec![] });
    assert_eq!(detect(Some(&switch()), None, None), MergeOutcome { value: None, conflicts: vec![] });
}

#[test]
fn a_delete_against_an_unchanged_side_deletes() {
    let base = switch();
    assert_eq!(detect(Some(&base), None, Some(&base)).value, None);
    assert_eq!(detect(Some(&base), Some(&base), None).value, None);
    assert!(detect(Some(&base), None, Some(&base)).conflicts.is_empty());
}

#[test]
fn local_edit_against_upstream_delete_is_one_conflict_at_the_root() {
    let base = switch();
    let mut ours = switch();
    ours["spec"]["profile"] = json!("dell-s5248f-on");
    let out = detect(Some(&base), Some(&ours), None);
    assert_eq!(out.conflicts, vec![FieldPath::root()]);
    assert_eq!(paths(&out), vec!["(document)"]);
    assert_eq!(out.value, None, "provisionally theirs: deleted");

    let keep = merge3(Some(&base), Some(&ours), None, &|p| p.is_root().then_some(Side::Ours));
    assert_eq!(keep, MergeOutcome { value: Some(ours), conflicts: vec![] });
}

#[test]
fn local_delete_against_upstream_edit_is_one_conflict_at_the_root() {
    let base = switch();
    let mut theirs = switch();
    theirs["spec"]["role"] = json!("spine");
    let out = detect(Some(&base), None, Some(&theirs));
    assert_eq!(out.conflicts, vec![FieldPath::root()]);
    assert_eq!(out.value, Some(theirs.clone()));

    let delete = merge3(Some(&base), None, Some(&theirs), &|_| Some(Side::Ours));
    assert_eq!(delete, MergeOutcome { value: None, conflicts: vec![] });
}

#[test]
fn both_added_merge_field_by_field_with_no_base() {
    let mut ours = switch();
    ours["spec"]["description"] = json!("ours");
    ours["spec"]["asn"] = json!(65101);
    let mut theirs = switch();
    theirs["spec"]["description"] = json!("theirs");
    theirs["spec"]["groups"] = json!(["mclag-2"]);
    let out = detect(None, Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["spec.description"]);
    let v = out.value.expect("merged");
    assert_eq!(v["spec"]["description"], json!("theirs"));
    assert_eq!(v["spec"]["asn"], json!(65101), "a field only ours added is kept");
    assert_eq!(v["spec"]["groups"], json!(["mclag-2", "mclag-1"]), "scalar lists merge as sets");
    assert_eq!(v["spec"]["profile"], json!("vs"));
}

#[test]
fn both_added_identically_is_that_resource() {
    let out = detect(None, Some(&switch()), Some(&switch()));
    assert_eq!(out, MergeOutcome { value: Some(switch()), conflicts: vec![] });
}

// ---- maps ----

#[test]
fn disjoint_field_edits_merge_without_conflict() {
    let base = switch();
    let mut ours = switch();
    ours["spec"]["description"] = json!("rack 7");
    let mut theirs = switch();
    theirs["spec"]["profile"] = json!("dell-s5248f-on");
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert!(out.conflicts.is_empty());
    let mut expected = switch();
    expected["spec"]["description"] = json!("rack 7");
    expected["spec"]["profile"] = json!("dell-s5248f-on");
    assert_eq!(out.value, Some(expected));
}

#[test]
fn same_field_changed_differently_conflicts_and_holds_theirs_until_chosen() {
    let base = switch();
    let mut ours = switch();
    ours["spec"]["description"] = json!("ours");
    ours["spec"]["role"] = json!("border-leaf");
    let mut theirs = switch();
    theirs["spec"]["description"] = json!("theirs");

    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["spec.description"]);
    let v = out.value.expect("merged");
    assert_eq!(v["spec"]["description"], json!("theirs"));
    assert_eq!(v["spec"]["role"], json!("border-leaf"), "the disjoint edit still merges");

    let chosen = resolve(&base, &ours, &theirs, &[("spec.description", Side::Ours)]);
    assert!(chosen.conflicts.is_empty());
    let v = chosen.value.expect("merged");
    assert_eq!(v["spec"]["description"], json!("ours"));
    assert_eq!(v["spec"]["role"], json!("border-leaf"));
}

#[test]
fn keys_follow_theirs_order_then_keys_only_ours_has() {
    let base = json!({"spec": {"a": 1, "b": 2}});
    let ours = json!({"spec": {"z": 0, "b": 2, "a": 1, "y": 9}});
    let theirs = json!({"spec": {"b": 3, "a": 1, "c": 4}});
    let v = detect(Some(&base), Some(&ours), Some(&theirs)).value.expect("merged");
    let keys: Vec<&String> = v["spec"].as_object().expect("map").keys().collect();
    assert_eq!(keys, ["b", "a", "c", "z", "y"]);
    assert_eq!(v["spec"]["b"], json!(3));
}

#[test]
fn a_key_removed_on_one_side_and_unchanged_on_the_other_is_removed() {
    let base = json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"x": 1}});
    let ours = json!({"metadata": {"labels": {"a": "1"}}, "spec": {"x": 1}});
    let theirs = json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"x": 2}});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert!(out.conflicts.is_empty());
    assert_eq!(out.value, Some(json!({"metadata": {"labels": {"a": "1"}}, "spec": {"x": 2}})));
}

#[test]
fn a_key_removed_on_one_side_and_changed_on_the_other_conflicts_at_the_key() {
    let base = json!({"spec": {"description": "a", "profile": "vs"}});
    let ours = json!({"spec": {"profile": "vs"}});
    let theirs = json!({"spec": {"description": "b", "profile": "vs"}});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["spec.description"]);
    assert_eq!(out.value, Some(theirs.clone()));
    let ours_wins = resolve(&base, &ours, &theirs, &[("spec.description", Side::Ours)]);
    assert_eq!(ours_wins.value, Some(ours));
}

#[test]
fn a_change_of_type_conflicts_at_that_field() {
    let base = json!({"spec": {"ecmp": {}}});
    let ours = json!({"spec": {"ecmp": "off"}});
    let theirs = json!({"spec": {"ecmp": {"rdmaBGP": true}}});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["spec.ecmp"]);
    assert_eq!(out.value, Some(theirs));
}

#[test]
fn map_of_subnets_merges_per_subnet_and_per_field() {
    let base = json!({"spec": {"subnets": {
        "default": {"subnet": "10.0.1.0/24", "vlan": 1001},
        "extra": {"subnet": "10.0.2.0/24", "vlan": 1002}
    }}});
    let ours = json!({"spec": {"subnets": {
        "default": {"subnet": "10.0.1.0/24", "vlan": 1101},
        "extra": {"subnet": "10.0.2.0/24", "vlan": 1002},
        "new": {"subnet": "10.0.3.0/24", "vlan": 1003}
    }}});
    let theirs = json!({"spec": {"subnets": {
        "default": {"subnet": "10.0.1.0/24", "vlan": 1001, "gateway": "10.0.1.1"},
        "extra": {"subnet": "10.0.2.0/24", "vlan": 1202}
    }}});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert!(out.conflicts.is_empty());
    assert_eq!(out.value, Some(json!({"spec": {"subnets": {
        "default": {"subnet": "10.0.1.0/24", "vlan": 1101, "gateway": "10.0.1.1"},
        "extra": {"subnet": "10.0.2.0/24", "vlan": 1202},
        "new": {"subnet": "10.0.3.0/24", "vlan": 1003}
    }}})));
}

#[test]
fn keys_that_need_quoting_give_paths_that_parse_back() {
    let base = json!({"metadata": {"annotations": {"a.b/c": "1"}}});
    let ours = json!({"metadata": {"annotations": {"a.b/c": "2"}}});
    let theirs = json!({"metadata": {"annotations": {"a.b/c": "3"}}});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["metadata.annotations[\"a.b/c\"]"]);
    let chosen = resolve(&base, &ours, &theirs, &[("metadata.annotations[\"a.b/c\"]", Side::Ours)]);
    assert_eq!(chosen.value, Some(ours));
}

// ---- lists with a natural key ----

#[test]
fn connection_links_merge_by_ports_whatever_their_order() {
    let base = bundled();
    let mut ours = bundled();
    links_mut(&mut ours)[1]["switch"]["ip"] = json!("10.1.0.1/31");
    let mut theirs = bundled();
    links_mut(&mut theirs).reverse();
    links_mut(&mut theirs).push(json!({"server": {"port": "server-01/enp2s4"}, "switch": {"port": "leaf-01/E1/4"}}));
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert!(out.conflicts.is_empty(), "{:?}", out.conflicts);
    let v = out.value.expect("merged");
    let ports: Vec<&Value> = links(&v).iter().map(|l| &l["switch"]["port"]).collect();
    assert_eq!(ports, [&json!("leaf-01/E1/3"), &json!("leaf-01/E1/2"), &json!("leaf-01/E1/1"), &json!("leaf-01/E1/4")]);
    assert_eq!(links(&v)[1]["switch"]["ip"], json!("10.1.0.1/31"));
}

#[test]
fn both_sides_moving_one_end_of_a_link_differently_conflict_at_that_port() {
    let base = bundled();
    let mut ours = bundled();
    links_mut(&mut ours)[1]["switch"]["port"] = json!("leaf-01/E1/20");
    let mut theirs = bundled();
    links_mut(&mut theirs)[1]["switch"]["port"] = json!("leaf-01/E1/30");
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["spec.bundled.links[1].switch.port"]);
    assert_eq!(out.value, Some(theirs.clone()));

    let chosen = resolve(&base, &ours, &theirs, &[("spec.bundled.links[1].switch.port", Side::Ours)]);
    assert!(chosen.conflicts.is_empty());
    assert_eq!(chosen.value, Some(ours));
}

#[test]
fn moving_different_ends_of_one_link_merges_into_one_link() {
    let base = bundled();
    let mut ours = bundled();
    links_mut(&mut ours)[0]["switch"]["port"] = json!("leaf-01/E1/10");
    let mut theirs = bundled();
    links_mut(&mut theirs)[0]["server"]["port"] = json!("server-01/enp3s1");
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert!(out.conflicts.is_empty());
    let v = out.value.expect("merged");
    assert_eq!(links(&v).len(), 3);
    assert_eq!(
        links(&v)[0],
        json!({"server": {"port": "server-01/enp3s1"}, "switch": {"port": "leaf-01/E1/10"}})
    );
}

#[test]
fn a_link_deleted_on_one_side_and_unchanged_on_the_other_disappears() {
    let base = bundled();
    let mut ours = bundled();
    links_mut(&mut ours).remove(0);
    let mut theirs = bundled();
    links_mut(&mut theirs)[2]["switch"]["ip"] = json!("10.0.0.1/31");
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert!(out.conflicts.is_empty());
    let v = out.value.expect("merged");
    assert_eq!(links(&v).len(), 2);
    assert_eq!(links(&v)[0]["switch"]["port"], json!("leaf-01/E1/2"));
    assert_eq!(links(&v)[1]["switch"]["ip"], json!("10.0.0.1/31"));
}

#[test]
fn a_link_deleted_upstream_and_changed_locally_conflicts_at_its_index_in_ours() {
    let base = bundled();
    let mut ours = bundled();
    links_mut(&mut ours)[2]["switch"]["ip"] = json!("10.0.0.1/31");
    let mut theirs = bundled();
    links_mut(&mut theirs).remove(0);
    links_mut(&mut theirs).remove(1); // leaves E1/2 only
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["spec.bundled.links[2]"]);
    assert_eq!(out.value, Some(theirs.clone()), "provisionally deleted, as upstream has it");

    let keep = resolve(&base, &ours, &theirs, &[("spec.bundled.links[2]", Side::Ours)]);
    let v = keep.value.expect("merged");
    let ports: Vec<&Value> = links(&v).iter().map(|l| &l["switch"]["port"]).collect();
    assert_eq!(ports, [&json!("leaf-01/E1/2"), &json!("leaf-01/E1/3")]);
}

#[test]
fn a_link_deleted_locally_and_changed_upstream_conflicts_at_its_index_in_theirs() {
    let base = bundled();
    let mut ours = bundled();
    links_mut(&mut ours).remove(1);
    let mut theirs = bundled();
    links_mut(&mut theirs).insert(0, json!({"server": {"port": "server-01/enp2s9"}, "switch": {"port": "leaf-01/E1/9"}}));
    links_mut(&mut theirs)[2]["switch"]["ip"] = json!("10.0.0.1/31"); // base's links[1]
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["spec.bundled.links[2]"]);
    let drop = resolve(&base, &ours, &theirs, &[("spec.bundled.links[2]", Side::Ours)]);
    assert!(drop.conflicts.is_empty());
    assert_eq!(links(&drop.value.expect("merged")).len(), 3);
}

#[test]
fn fabric_links_are_keyed_by_leaf_and_spine_ports() {
    let base = json!({"spec": {"fabric": {"links": [
        {"leaf": {"ip": "172.30.128.1/31", "port": "leaf-01/E1/8"}, "spine": {"ip": "172.30.128.0/31", "port": "spine-01/E1/1"}},
        {"leaf": {"ip": "172.30.128.3/31", "port": "leaf-01/E1/9"}, "spine": {"ip": "172.30.128.2/31", "port": "spine-01/E1/2"}}
    ]}}});
    let mut ours = base.clone();
    ours["spec"]["fabric"]["links"][0]["leaf"]["ip"] = json!("172.30.128.5/31");
    let mut theirs = base.clone();
    theirs["spec"]["fabric"]["links"][0]["leaf"]["ip"] = json!("172.30.128.7/31");
    theirs["spec"]["fabric"]["links"][1]["spine"]["ip"] = json!("172.30.128.8/31");
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["spec.fabric.links[0].leaf.ip"]);
}

#[test]
fn swapped_ports_make_identity_ambiguous_and_fall_back_to_positions() {
    let base = bundled();
    let mut ours = bundled();
    links_mut(&mut ours)[0]["switch"]["port"] = json!("leaf-01/E1/2");
    links_mut(&mut ours)[1]["switch"]["port"] = json!("leaf-01/E1/1");
    let mut theirs = bundled();
    links_mut(&mut theirs)[2]["switch"]["ip"] = json!("10.0.0.1/31");
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert!(out.conflicts.is_empty());
    let mut expected = ours.clone();
    links_mut(&mut expected)[2]["switch"]["ip"] = json!("10.0.0.1/31");
    assert_eq!(out.value, Some(expected));
}

#[test]
fn items_with_a_name_merge_by_name_and_nest() {
    let base = json!({"spec": {"nics": [
        {"name": "nic0", "ports": [{"name": "p0", "speed": 10}, {"name": "p1", "speed": 10}]},
        {"name": "nic1", "ports": []}
    ]}});
    let ours = json!({"spec": {"nics": [
        {"name": "nic1", "ports": []},
        {"name": "nic0", "ports": [{"name": "p0", "speed": 25}, {"name": "p1", "speed": 10}]}
    ]}});
    let theirs = json!({"spec": {"nics": [
        {"name": "nic0", "ports": [{"name": "p0", "speed": 40}, {"name": "p1", "speed": 100}]},
        {"name": "nic1", "ports": [{"name": "p9"}]}
    ]}});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["spec.nics[0].ports[0].speed"]);
    let v = out.value.expect("merged");
    assert_eq!(v["spec"]["nics"][0]["ports"][1]["speed"], json!(100));
    assert_eq!(v["spec"]["nics"][1]["ports"], json!([{"name": "p9"}]));
}

#[test]
fn a_name_index_in_theirs_is_used_even_when_ours_has_the_item_elsewhere() {
    let base = json!({"items": [{"name": "a", "v": 1}, {"name": "b", "v": 1}]});
    let ours = json!({"items": [{"name": "b", "v": 2}, {"name": "a", "v": 1}]});
    let theirs = json!({"items": [{"name": "a", "v": 1}, {"name": "b", "v": 3}]});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["items[1].v"]);
}

#[test]
fn peering_permit_entries_merge_by_their_vpc_names() {
    let base = json!({"spec": {"permit": [
        {"vpc-1": {}, "vpc-2": {}},
        {"vpc-1": {"subnets": ["default"]}, "vpc-3": {}}
    ]}});
    let ours = json!({"spec": {"permit": [
        {"vpc-1": {}, "vpc-2": {"subnets": ["a"]}},
        {"vpc-1": {"subnets": ["default"]}, "vpc-3": {}},
        {"vpc-4": {}, "vpc-1": {}}
    ]}});
    let theirs = json!({"spec": {"permit": [
        {"vpc-3": {}, "vpc-1": {"subnets": ["default", "extra"]}},
        {"vpc-2": {}, "vpc-1": {}}
    ]}});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert!(out.conflicts.is_empty());
    assert_eq!(out.value, Some(json!({"spec": {"permit": [
        {"vpc-3": {}, "vpc-1": {"subnets": ["default", "extra"]}},
        {"vpc-1": {}, "vpc-2": {"subnets": ["a"]}},
        {"vpc-4": {}, "vpc-1": {}}
    ]}})));
}

#[test]
fn scalar_lists_merge_as_sets() {
    let base = json!({"spec": {"groups": ["a", "b", "c"]}});
    let ours = json!({"spec": {"groups": ["a", "c", "d"]}});
    let theirs = json!({"spec": {"groups": ["e", "c", "b", "a"]}});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert!(out.conflicts.is_empty());
    assert_eq!(out.value, Some(json!({"spec": {"groups": ["e", "c", "a", "d"]}})));
}

#[test]
fn scalars_of_different_types_are_different_items() {
    let base = json!({"l": [1]});
    let ours = json!({"l": [1, "2"]});
    let theirs = json!({"l": [1, 2]});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(out.value, Some(json!({"l": [1, 2, "2"]})));
}

// ---- lists without a natural key ----

#[test]
fn duplicate_keys_fall_back_to_positions_when_lengths_agree() {
    let base = json!({"l": ["a", "a", "b"]});
    let ours = json!({"l": ["x", "a", "b"]});
    let theirs = json!({"l": ["a", "a", "y"]});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert!(out.conflicts.is_empty());
    assert_eq!(out.value, Some(json!({"l": ["x", "a", "y"]})));
}

#[test]
fn positional_lists_conflict_per_item() {
    let base = json!({"spec": {"ranges": [{"from": 1000, "to": 1999}, {"from": 2000, "to": 2999}]}});
    let ours = json!({"spec": {"ranges": [{"from": 1000, "to": 1499}, {"from": 2000, "to": 2999}]}});
    let theirs = json!({"spec": {"ranges": [{"from": 1000, "to": 1799}, {"from": 2100, "to": 2999}]}});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["spec.ranges[0].to"]);
    let v = out.value.expect("merged");
    assert_eq!(v["spec"]["ranges"][1]["from"], json!(2100));
}

#[test]
fn lists_of_lists_of_different_lengths_conflict_as_a_whole() {
    let base = json!({"spec": {"permit": [["vpc-1", "vpc-2"]]}});
    let ours = json!({"spec": {"permit": [["vpc-1", "vpc-2"], ["vpc-3"]]}});
    let theirs = json!({"spec": {"permit": []}});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["spec.permit"]);
    assert_eq!(out.value, Some(theirs.clone()));
    let chosen = resolve(&base, &ours, &theirs, &[("spec.permit", Side::Ours)]);
    assert_eq!(chosen.value, Some(ours));
}

#[test]
fn a_list_changed_on_one_side_only_takes_that_side_even_without_a_key() {
    let base = json!({"spec": {"permit": [["vpc-1", "vpc-2"]], "x": 1}});
    let ours = json!({"spec": {"permit": [["vpc-1", "vpc-2"], ["vpc-3"]], "x": 1}});
    let theirs = json!({"spec": {"permit": [["vpc-1", "vpc-2"]], "x": 2}});
    let out = detect(Some(&base), Some(&ours), Some(&theirs));
    assert!(out.conflicts.is_empty());
    assert_eq!(out.value, Some(json!({"spec": {"permit": [["vpc-1", "vpc-2"], ["vpc-3"]], "x": 2}})));
}

#[test]
fn lists_both_added_without_a_key_merge_by_position_when_lengths_agree() {
    let ours = json!({"l": [["a"], "b"]});
    let theirs = json!({"l": [["a"], "c"]});
    let out = detect(None, Some(&ours), Some(&theirs));
    assert_eq!(paths(&out), vec!["l[1]"]);
}

// ---- paths and choose ----

#[test]
fn choose_is_asked_about_exactly_the_conflict_paths_in_order() {
    let base = bundled();
    let mut ours = bundled();
    ours["metadata"]["labels"] = json!({"rack": "1"});
    ours["spec"]["bundled"]["mtu"] = json!(9000);
    links_mut(&mut ours)[0]["switch"]["port"] = json!("leaf-01/E1/11");
    links_mut(&mut ours)[2]["server"]["port"] = json!("server-01/enp9s3");
    let mut theirs = bundled();
    theirs["metadata"]["labels"] = json!({"rack": "2"});
    theirs["spec"]["bundled"]["mtu"] = json!(1500);
    links_mut(&mut theirs)[0]["switch"]["port"] = json!("leaf-01/E1/12");
    links_mut(&mut theirs)[2]["server"]["port"] = json!("server-01/enp8s3");

    let detected = detect(Some(&base), Some(&ours), Some(&theirs));
    let expected = [
        "metadata.labels.rack",
        "spec.bundled.links[0].switch.port",
        "spec.bundled.links[2].server.port",
        "spec.bundled.mtu",
    ];
    assert_eq!(paths(&detected), expected);
    for p in &detected.conflicts {
        assert_eq!(&FieldPath::parse(&p.to_string()), p);
    }

    let asked = RefCell::new(Vec::new());
    let all_ours = merge3(Some(&base), Some(&ours), Some(&theirs), &|p| {
        asked.borrow_mut().push(p.to_string());
        Some(Side::Ours)
    });
    assert_eq!(asked.into_inner(), expected);
    assert_eq!(all_ours, MergeOutcome { value: Some(ours.clone()), conflicts: vec![] });

    let all_theirs = merge3(Some(&base), Some(&ours), Some(&theirs), &|_| Some(Side::Theirs));
    assert_eq!(all_theirs, MergeOutcome { value: Some(theirs), conflicts: vec![] });
}

#[test]
fn choosing_some_paths_leaves_the_others_as_conflicts() {
    let base = json!({"a": 1, "b": 1, "c": 1});
    let ours = json!({"a": 2, "b": 2, "c": 2});
    let theirs = json!({"a": 3, "b": 3, "c": 3});
    let out = resolve(&base, &ours, &theirs, &[("b", Side::Ours)]);
    assert_eq!(paths(&out), vec!["a", "c"]);
    assert_eq!(out.value, Some(json!({"a": 3, "b": 2, "c": 3})));
}

#[test]
fn merging_is_deterministic() {
    let base = bundled();
    let mut ours = bundled();
    links_mut(&mut ours).remove(0);
    links_mut(&mut ours)[0]["switch"]["port"] = json!("leaf-01/E1/7");
    let mut theirs = bundled();
    links_mut(&mut theirs)[0]["switch"]["ip"] = json!("10.0.0.1/31");
    links_mut(&mut theirs)[1]["switch"]["port"] = json!("leaf-01/E1/8");
    let first = detect(Some(&base), Some(&ours), Some(&theirs));
    for _ in 0..20 {
        assert_eq!(detect(Some(&base), Some(&ours), Some(&theirs)), first);
    }
    assert_eq!(paths(&first), vec!["spec.bundled.links[0]", "spec.bundled.links[1].switch.port"]);
}

#[test]
fn identity_rules_follow_the_documented_order() {
    assert_eq!(identity(&json!({"name": "x", "a": {"port": "p"}})), Some(vec!["name\u{0}x".to_owned()]));
    assert_eq!(
        identity(&json!({"switch": {"port": "s/1"}, "server": {"port": "v/1"}})),
        Some(vec!["port\u{0}s/1".to_owned(), "port\u{0}v/1".to_owned()])
    );
    assert_eq!(
        identity(&json!({"vpc-2": {}, "vpc-1": {}})),
        Some(vec!["keys\u{0}vpc-1\u{0}vpc-2".to_owned()])
    );
    assert_eq!(
        identity(&json!({"name": 3, "b": 1})),
        Some(vec!["keys\u{0}b\u{0}name".to_owned()]),
        "a name that is not a string is no name"
    );
    assert_eq!(identity(&json!("mclag-1")), Some(vec!["scalar\u{0}\"mclag-1\"".to_owned()]));
    assert_eq!(identity(&json!(["a"])), None);
}
