package models

import (
	"encoding/json"
	"maps"
)

// personalKeys are the keys of an audit record's details (at the top or in "old" and "new")
// whose values are about a person, whatever the subject: writeAudit keeps them apart so that
// they can be anonymised.
var personalKeys = map[string]bool{
	"email": true, "organisation": true, "job_title": true, "phone": true, "bio": true, "address": true,
	"speaker": true, "speakers": true, "speaker_name": true, "speaker_email": true, "person": true, "recipient": true,
	"to": true, "ip": true, "user_agent": true,
}

// personSubjects are the kinds of subject that are people: their "name" is personal too (a
// venue's or a track's name is not).
var personSubjects = map[string]bool{
	SubjectRegistration: true, "user": true, "account": true, "invitation": true, "speaker": true,
	"co_speaker": true, "voter": true,
}

func isPersonalKey(subjectKind, key string) bool {
	return personalKeys[key] || (key == "name" && personSubjects[subjectKind])
}

// splitPersonal encodes details as JSON without its personal values, and those values (with
// the explicitly personal ones) as a JSON object of the same shape. Either is "" when empty.
func splitPersonal(subjectKind string, details, personal map[string]any) (string, string, error) {
	keep, apart := map[string]any{}, map[string]any{}
	if len(details) > 0 {
		// Through JSON first, so that maps and structs of any type split alike.
		plain, err := normalise(details)
		if err != nil {
			return "", "", err
		}
		for k, v := range plain {
			if isPersonalKey(subjectKind, k) {
				apart[k] = v
				continue
			}
			inner, ok := v.(map[string]any)
			if !ok || (k != "old" && k != "new") {
				keep[k] = v
				continue
			}
			kept, moved := map[string]any{}, map[string]any{}
			for f, fv := range inner {
				if isPersonalKey(subjectKind, f) {
					moved[f] = fv
				} else {
					kept[f] = fv
				}
			}
			keep[k] = kept
			if len(moved) > 0 {
				apart[k] = moved
			}
		}
	}
	if len(personal) > 0 {
		plain, err := normalise(personal)
		if err != nil {
			return "", "", err
		}
		overlay(apart, plain)
	}
	d, err := encodeDetails(keep)
	if err != nil {
		return "", "", err
	}
	p, err := encodeDetails(apart)
	return d, p, err
}

func normalise(m map[string]any) (map[string]any, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	return out, json.Unmarshal(b, &out)
}

// encodeDetails is m as JSON (keys sorted), or "" for an empty map.
func encodeDetails(m map[string]any) (string, error) {
	if len(m) == 0 {
		return "", nil
	}
	b, err := json.Marshal(m)
	return string(b), err
}

// overlay lays src over dst, merging the objects both hold under one key ("old", "new").
func overlay(dst, src map[string]any) {
	for k, v := range src {
		a, aok := dst[k].(map[string]any)
		b, bok := v.(map[string]any)
		if aok && bok {
			merged := maps.Clone(a)
			maps.Copy(merged, b)
			dst[k] = merged
			continue
		}
		dst[k] = v
	}
}
