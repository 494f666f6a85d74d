//! Working days against a hand-written table (SPEC §3: wd counts d with start < d <= end) and
//! property tests of `wd` and `deadline`.

use chrono::{Datelike, NaiveDate, Weekday};
use complaints::calendar::{Calendar, DEFAULT_DIVISION};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// (start, end, expected working days, why) — each worked out by hand from the calendar.
fn table() -> Vec<(NaiveDate, NaiveDate, i32, &'static str)> {
    vec![
        (d(2025, 3, 3), d(2025, 3, 17), 10, "SPEC example: Monday to Monday two weeks later"),
        (d(2025, 3, 3), d(2025, 3, 3), 0, "same day: the start never counts"),
        (d(2025, 3, 3), d(2025, 3, 4), 1, "next day"),
        (d(2025, 3, 7), d(2025, 3, 10), 1, "Friday to Monday"),
        (d(2025, 3, 8), d(2025, 3, 10), 1, "received Saturday, Monday counts"),
        (d(2025, 3, 8), d(2025, 3, 9), 0, "Saturday to Sunday"),
        (d(2025, 3, 7), d(2025, 3, 9), 0, "Friday to Sunday"),
        (d(2025, 4, 17), d(2025, 4, 22), 1, "over Easter 2025: Good Friday and Easter Monday"),
        (d(2025, 4, 17), d(2025, 4, 24), 3, "Easter 2025 then Tue-Thu"),
        (d(2025, 4, 16), d(2025, 4, 30), 8, "two weeks spanning Easter 2025"),
        (d(2024, 12, 24), d(2024, 12, 27), 1, "Christmas Eve 2024 to the 27th"),
        (d(2024, 12, 23), d(2025, 1, 2), 5, "Christmas and New Year 2024/25"),
        (d(2022, 12, 23), d(2022, 12, 28), 1, "2022: Boxing Day Mon 26, Christmas substitute Tue 27"),
        (d(2021, 12, 24), d(2021, 12, 31), 3, "2021: substitutes Mon 27 and Tue 28"),
        (d(2020, 12, 24), d(2020, 12, 29), 1, "2020: Boxing Day substitute Mon 28"),
        (d(2021, 12, 31), d(2022, 1, 4), 1, "New Year 2022 substitute Mon 3 Jan"),
        (d(2022, 12, 30), d(2023, 1, 4), 2, "New Year 2023 substitute Mon 2 Jan"),
        (d(2022, 6, 1), d(2022, 6, 6), 1, "Spring bank holiday Thu 2 June and Platinum Jubilee Fri 3 June 2022"),
        (d(2022, 5, 27), d(2022, 5, 31), 2, "Mon 30 May 2022 was not a holiday (spring holiday moved)"),
        (d(2022, 9, 16), d(2022, 9, 20), 1, "State Funeral Mon 19 Sep 2022"),
        (d(2023, 4, 28), d(2023, 5, 12), 8, "Early May 1 May and Coronation 8 May 2023"),
        (d(2020, 4, 30), d(2020, 5, 11), 6, "VE Day: Early May holiday moved to Fri 8 May 2020; Mon 4 May worked"),
        (d(2025, 8, 22), d(2025, 8, 29), 4, "Summer bank holiday 25 Aug 2025"),
        (d(2024, 8, 26), d(2024, 8, 30), 4, "received on a bank holiday (26 Aug 2024)"),
        (d(2024, 8, 23), d(2024, 8, 26), 0, "ends on a bank holiday"),
        (d(2024, 4, 1), d(2024, 4, 15), 10, "received Easter Monday 2024"),
        (d(2025, 3, 17), d(2025, 3, 3), -10, "end before start is negative"),
        (d(2024, 12, 31), d(2025, 12, 31), 253, "all of 2025: 261 weekdays less 8 holidays"),
        (d(2023, 12, 31), d(2024, 12, 31), 254, "all of 2024: 262 weekdays less 8 holidays"),
        (d(2021, 12, 31), d(2022, 12, 31), 250, "all of 2022: 260 weekdays less 10 holidays"),
        (d(2016, 12, 23), d(2016, 12, 28), 1, "2016: Boxing Day Mon 26, Christmas substitute Tue 27"),
        (d(2015, 12, 24), d(2015, 12, 29), 1, "2015: Boxing Day substitute Mon 28"),
        (d(2029, 3, 29), d(2029, 4, 3), 1, "computed 2029 Easter: Good Friday 30 Mar, Easter Monday 2 Apr"),
        (d(2012, 6, 1), d(2012, 6, 6), 1, "2012: Spring bank holiday Mon 4 June and Diamond Jubilee Tue 5 June"),
        (d(2012, 5, 25), d(2012, 5, 29), 2, "Mon 28 May 2012 was worked (spring holiday moved)"),
    ]
}

#[test]
fn hand_written_table() {
    let cal = Calendar::builtin();
    let rows = table();
    assert!(rows.len() >= 30);
    for (start, end, expected, why) in rows {
        assert_eq!(cal.wd(start, end).unwrap(), expected, "{why}: wd({start}, {end})");
    }
}

#[test]
fn deadlines_by_hand() {
    let cal = Calendar::builtin();
    let cases = [
        (d(2025, 3, 3), 10, d(2025, 3, 17)),
        (d(2025, 4, 17), 1, d(2025, 4, 22)),
        (d(2025, 3, 8), 5, d(2025, 3, 14)),
        (d(2024, 12, 23), 5, d(2025, 1, 2)),
        (d(2022, 6, 1), 1, d(2022, 6, 6)),
        (d(2025, 3, 8), 0, d(2025, 3, 8)),
    ];
    for (start, n, expected) in cases {
        assert_eq!(cal.deadline(start, n).unwrap(), expected, "deadline({start}, {n})");
    }
}

#[test]
fn closure_days_count_as_non_working() {
    let cal = Calendar::build(DEFAULT_DIVISION, &[], &[d(2024, 12, 27)]).unwrap();
    assert_eq!(cal.wd(d(2024, 12, 24), d(2024, 12, 31)).unwrap(), 2);
}

#[test]
fn holidays_file_for_another_division() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bank-holidays.json");
    std::fs::write(
        &path,
        r#"{"scotland": {"division": "scotland", "events": [
            {"title": "2nd January", "date": "2025-01-02", "notes": "", "bunting": true},
            {"title": "St Andrew's Day", "date": "2025-12-01", "notes": "Substitute day", "bunting": true}]}}"#,
    )
    .unwrap();
    let cal = Calendar::build("scotland", &[path.as_path()], &[]).unwrap();
    assert!(cal.is_working_day(d(2025, 1, 1)).unwrap(), "1 Jan is not a holiday in this file");
    assert_eq!(cal.wd(d(2025, 1, 1), d(2025, 1, 6)).unwrap(), 2, "2 Jan is a holiday: Fri 3 and Mon 6 count");
    assert!(!cal.is_working_day(d(2025, 12, 1)).unwrap());
    assert!(cal.wd(d(2024, 12, 31), d(2025, 1, 2)).is_err(), "2024 is outside this file's range");
    let err = Calendar::build("scotland", &[], &[]).unwrap_err().to_string();
    assert!(err.contains("--holidays"), "{err}");
}

fn naive_count(cal: &Calendar, start: NaiveDate, end: NaiveDate) -> i32 {
    let mut n = 0;
    let mut day = start;
    while day < end {
        day = day.succ_opt().unwrap();
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if !weekend && !cal.holidays().contains_key(&day) {
            n += 1;
        }
    }
    n
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..6000).prop_map(|o| d(2012, 1, 1) + chrono::Duration::days(o))
}

proptest! {
    #[test]
    fn deadline_is_inverse_of_wd(start in any_date(), n in 0u32..250) {
        let cal = Calendar::builtin();
        let due = cal.deadline(start, n).unwrap();
        prop_assert_eq!(cal.wd(start, due).unwrap(), n as i32);
        if n > 0 {
            prop_assert!(cal.is_working_day(due).unwrap());
            // The deadline is the first day reaching n: the day before is short of it.
            prop_assert_eq!(cal.wd(start, due.pred_opt().unwrap()).unwrap(), n as i32 - 1);
        }
    }

    #[test]
    fn wd_matches_a_day_by_day_count(start in any_date(), len in 0i64..400) {
        let cal = Calendar::builtin();
        let end = start + chrono::Duration::days(len);
        prop_assume!(end <= d(2030, 12, 31));
        prop_assert_eq!(cal.wd(start, end).unwrap(), naive_count(&cal, start, end));
    }

    #[test]
    fn wd_adds_up(a in any_date(), b in any_date(), c in any_date()) {
        let cal = Calendar::builtin();
        prop_assert_eq!(cal.wd(a, b).unwrap() + cal.wd(b, c).unwrap(), cal.wd(a, c).unwrap());
    }
}
