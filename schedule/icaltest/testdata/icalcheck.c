/* icalcheck: reads an iCalendar file with libical, an independent parser, and
 * applies libical's restriction check, which enforces RFC 5546 (iTIP) for the
 * calendar's METHOD (for example: METHOD:PUBLISH needs an ORGANIZER in every
 * event). It prints one line per problem ("error\t...") and one line per
 * VEVENT: UID, start and end as Unix seconds (after resolving its TZID against
 * the calendar's VTIMEZONE) and SUMMARY, tab-separated. Exit status 0 when
 * libical reports no problem, 1 when it does, 2 when it cannot read the file.
 *
 * Built by package icaltest for the tests: gcc icalcheck.c -lical. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>

static char *slurp(const char *path) {
	FILE *f = fopen(path, "rb");
	if (!f) return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap + 1);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
	}
	fclose(f);
	if (buf) buf[n] = '\0';
	return buf;
}

static int report(icalcomponent *c) {
	int errors = 0;
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
		printf("error\t%s\t%s\n", icalcomponent_kind_to_string(icalcomponent_isa(c)), icalproperty_get_xlicerror(p));
		errors++;
	}
	for (icalcomponent *k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
	     k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		errors += report(k);
	return errors;
}

static long long unix_of(struct icaltimetype t) {
	return (long long)icaltime_as_timet_with_zone(t, t.zone ? t.zone : icaltimezone_get_utc_timezone());
}

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: icalcheck FILE\n");
		return 2;
	}
	char *text = slurp(argv[1]);
	if (!text) {
		perror(argv[1]);
		return 2;
	}
	icalcomponent *cal = icalparser_parse_string(text);
	if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		fprintf(stderr, "%s: not one VCALENDAR: %s\n", argv[1], icalerror_strerror(icalerrno));
		return 2;
	}
	icalrestriction_check(cal);
	int errors = report(cal);
	for (icalcomponent *e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); e;
	     e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		const char *summary = icalcomponent_get_summary(e);
		printf("event\t%s\t%lld\t%lld\t%s\n", icalcomponent_get_uid(e), unix_of(icalcomponent_get_dtstart(e)),
		       unix_of(icalcomponent_get_dtend(e)), summary ? summary : "");
	}
	icalcomponent_free(cal);
	free(text);
	return errors ? 1 : 0;
}
