"""News chrome at ingest: datelines stripped; promos, contributor lines, captions, credits and
editors' notes dropped; real paragraphs that merely look like them kept. All text invented."""

import json

import pytest

from index.articles import parse_articles
from index.boilerplate import clean_paragraphs
from index.news_chrome import news_chrome_kind, split_dateline

BODY = "The regional council approved the new harbour wall on Tuesday."


@pytest.mark.parametrize(
    ("paragraph", "dateline", "rest"),
    [
        ("Vellmore (CNN) — The mayor opened the bridge.", "Vellmore (CNN) —", "The mayor opened the bridge."),
        ("The Hague CNN — Judges ruled on Friday.", "The Hague CNN —", "Judges ruled on Friday."),
        ("PORT ELLORY (Reuters) - Talks resumed on Monday.", "PORT ELLORY (Reuters) -",
         "Talks resumed on Monday."),
        ("MARENBURG, Ostland (AP) — Crews reached the village.", "MARENBURG, Ostland (AP) —",
         "Crews reached the village."),
        ("Hollow Bay CNN Business —", "Hollow Bay CNN Business —", ""),
        ("New Carden CNN —", "New Carden CNN —", ""),
        ("Lake Tamsin / Port Ardel CNN Business — Two airlines merged.",
         "Lake Tamsin / Port Ardel CNN Business —", "Two airlines merged."),
        ("Brightwater, Ostland Reuters —", "Brightwater, Ostland Reuters —", ""),
        ("VELLMORE — The council voted to close the pier.", "VELLMORE —",
         "The council voted to close the pier."),
        ("SAN ARDEL, Ostland — Rescue teams worked overnight.", "SAN ARDEL, Ostland —",
         "Rescue teams worked overnight."),
        ("(CNN)The storm moved north overnight.", "(CNN)", "The storm moved north overnight."),
        ("LOS TALLOS (KVEL) -- Firefighters contained the blaze.", "LOS TALLOS (KVEL) --",
         "Firefighters contained the blaze."),
    ],
)
def test_datelines_are_split_from_the_rest_of_the_paragraph(paragraph, dateline, rest):
    assert split_dateline(paragraph) == (dateline, rest)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Washington has said — repeatedly — that it will not negotiate.",
        "Brindle Corp — the region’s largest employer — cut 200 jobs.",
        "ORBITEX — the satellite maker — said the launch would slip.",
        "Shares of Tallow Foods (TLW) — which rose all year — fell on Monday.",
        "Tallow (TLW) fell 4% on Monday.",
        "CNN-Vellmore, a joint venture, opened a studio.",
        "The Reuters – Ipsos poll found support had fallen.",
        BODY,
    ],
)
def test_sentences_with_dashes_are_not_datelines(paragraph):
    assert split_dateline(paragraph) == ("", paragraph)


def test_only_the_first_kept_paragraph_loses_a_dateline_and_a_dateline_alone_is_dropped():
    cleaned = clean_paragraphs([
        "Sign up for our Morning Ledger newsletter.",
        "New Carden CNN —",
        BODY,
        "VELLMORE — The council voted to close the pier.",
    ])
    assert cleaned.dateline == "New Carden CNN —"
    assert cleaned.kept == [BODY, "VELLMORE — The council voted to close the pier."]


def test_a_dateline_at_the_start_of_the_first_paragraph_keeps_the_rest():
    cleaned = clean_paragraphs(["Vellmore (CNN) — " + BODY, "A second paragraph follows."])
    assert cleaned.kept == [BODY, "A second paragraph follows."]


@pytest.mark.parametrize(
    ("kind", "paragraph"),
    [
        ("promo", "This story is part of Example News’ Evening Brief newsletter. To get it in your inbox, "
                  "sign up for free here."),
        ("promo", "Sign up for our weekly Garden Notes newsletter."),
        ("promo", "1. How relevant is this ad to you?"),
        ("promo", "Video player was slow to load content Ad never loaded Audio on ad was too loud Other"),
        ("promo", "A version of this story appeared in Example News’ Morning Ledger newsletter. Get it in "
                  "your inbox every day."),
        ("promo", "Subscribe to The Harbour Gazette for unlimited access."),
        ("promo", "Download the Example News app for breaking alerts."),
        ("promo", "Get the Example News app"),
        ("promo", "Get our free Science Weekly newsletter, delivered every Friday."),
        ("promo", "Enjoying this digest? Sign up and you’ll get it in your inbox every morning."),
        ("promo", "This is the weekly edition of Example News’ health newsletter. If you haven’t "
                  "subscribed yet, sign up here."),
        ("promo", "LISTEN TO OUR PODCAST"),
        ("promo", "Send us your questions about the election."),
        ("promo", "READ: Inside the race for the governor’s mansion"),
        ("promo", "Related: How the harbour wall was paid for"),
        ("contributor", "Example News’ Jane Doe contributed to this report."),
        ("contributor", "– Example News’ Mara Lind, Ivo Brand and Tobias Quell contributed to this report."),
        ("contributor", "Jane Doe and John Roe contributed reporting."),
        ("contributor", "Ilse Varga contributed reporting from Port Ellory."),
        ("contributor", "The Associated Press contributed to this story."),
        ("contributor", "—Staff writer Nell Ashby contributed."),
        ("contributor", "Reporting by Ana Petrova; Editing by Tom Reyes"),
        ("contributor", "(Reporting by Ana Petrova in Vellmore; Writing by Tom Reyes; "
                        "Editing by Lena Marsh)"),
        ("contributor", "Additional reporting by Omar Haddad."),
        ("contributor", "Editing by Tom Reyes"),
        ("contributor", "By Corin Vale and Ada Moss"),
        ("editorial", "Editor’s note: Mara Lind is a professor of economics at Vellmore University. The "
                      "views expressed here are her own."),
        ("editorial", "Correction: An earlier version of this story misstated the date of the vote."),
        ("editorial", "This story has been updated with additional information."),
        ("editorial", "This is a developing story and will be updated."),
        ("caption", "Photo: Getty Images"),
        ("caption", "Credit: Mara Lind for Example News"),
        ("caption", "Photos: The week in pictures"),
        ("caption", "Video: Crews battle the ridge fire"),
        ("caption", "Hide Caption"),
        ("caption", "1 of 12"),
        ("caption", "Getty Images"),
        ("caption", "AP"),
        ("caption", "Streamly"),
        ("caption", "Ivo Brand/AFP/Getty Images"),
        ("caption", "Lena Marsh/Pool/Getty Images"),
        ("caption", "Tova Ek/Vellmore University"),
        ("caption", "Residents clear mud from the main street on Tuesday. Ivo Brand/Reuters"),
        ("caption", "A ferry leaves the harbour at dawn Lena Marsh/AP"),
        ("caption", "A heron wades through the flooded park. Courtesy Nell Ashby"),
        ("caption", "Courtesy of the Vellmore Museum"),
        ("caption", "Photograph by Tova Ek for Example News"),
        ("caption", "Crowds gather outside the town hall on Friday. Vellmore Courier"),
        ("caption", "The new lighthouse lamp is tested on Monday. Tova Ek/Vellmore University"),
        ("caption", "Video Ad Feedback Crews battle the ridge fire 02:14 - Source: Example News"),
        ("caption", "Marchers cross the bridge on Saturday. Ivo Brand/AP Marchers rest in the square. "
                    "Lena Marsh/Reuters Prev Next"),
    ],
)
def test_news_chrome_is_recognised(kind, paragraph):
    assert news_chrome_kind(paragraph) == kind
    assert clean_paragraphs([BODY, paragraph]).kept == [BODY]


@pytest.mark.parametrize(
    "paragraph",
    [
        "The mayor announced the plan in her weekly newsletter, which goes to 40,000 residents.",
        "Residents can sign up for flood alerts at the council’s website.",
        "Writers who sign up readers for their newsletters keep 90% of the revenue, the platform said.",
        "“Sign up for my newsletter and you’ll see,” the candidate told supporters.",
        "Subscribers to the service rose 12% in the quarter.",
        "Download speeds doubled after the upgrade, the regulator said.",
        "In a statement, the airline said rising fuel costs contributed to its decision to cut routes.",
        "Heavy rain contributed to the collapse, engineers said.",
        "Volunteers contributed more than 2,000 hours to the cleanup.",
        "Reporting by the Vellmore Courier found that the council had overspent.",
        "Writing by hand is making a comeback in Vellmore’s schools.",
        "Editing by volunteers kept the archive online, the museum said.",
        "Pictures by the children were displayed at the town hall.",
        "Courtesy matters, the new head teacher told parents.",
        "Clarification — or the lack of it — is what the unions want, she said.",
        "This report was updated in March, the ministry said.",
        "By Tuesday, the water had receded.",
        "Correction officers at the prison went on strike on Monday.",
        "The editor’s note at the top of the report warned readers about graphic content.",
        "He said the photo was credited to a local freelancer.",
        "The agency changed its photo credit policy in 2019, Getty Images said.",
        "“No,” he said.",
        "Yes.",
        "Higher fares",
        "What lawmakers left out",
        "Tallow vs Orbitex/Brindle",
        "The show airs at 9 p.m. ET",
        "Dr. Ada Moss",
        "Read the full report at https://example.org/Report",
        "The council met on Monday. The vote is on Friday",
        "Tip 1: Get tested",
        "Q: Is the harbour wall finished?",
        "1. Vellmore",
        "The ad froze on screens across the stadium and the video never loaded, fans said.",
    ],
)
def test_real_paragraphs_that_look_like_chrome_are_kept(paragraph):
    assert news_chrome_kind(paragraph) is None
    assert clean_paragraphs([BODY, paragraph]).kept == [BODY, paragraph]


@pytest.mark.parametrize(
    "credit",
    ["(Photo by Ivo Brand/AFP via Getty Images)", "(Image credit: Lena Marsh/Reuters)", "(AP Photo/Tova Ek)"],
)
def test_a_closing_photo_credit_is_stripped_and_a_paragraph_of_only_a_credit_dropped(credit):
    cleaned = clean_paragraphs([BODY + " " + credit, credit])
    assert cleaned.kept == [BODY]
    assert cleaned.photo_credits == [credit]
    assert cleaned.dropped == [("caption", credit)]


def test_a_closing_parenthesis_that_is_no_credit_stays():
    paragraph = "The council published the photos online (with the faces blurred)."
    assert clean_paragraphs([paragraph]).kept == [paragraph]


def test_a_paragraph_repeating_the_one_before_is_dropped():
    cleaned = clean_paragraphs(["The best views of the regatta", "The best views of the regatta", BODY])
    assert cleaned.kept == ["The best views of the regatta", BODY]
    assert cleaned.dropped == [("repeat", "The best views of the regatta")]


def test_jsonl_articles_are_numbered_after_the_chrome_is_dropped():
    text = "\n\n".join([
        "Sign up for our Morning Ledger newsletter.",
        "Vellmore (CNN) — The council approved the harbour wall on Tuesday.",
        "Work starts in May. Ivo Brand/Getty Images",
        "The wall will cost 12 million crowns, officials said.",
        "Getty Images",
        "“No,” the mayor said when asked about delays.",
        "Example News’ Jane Doe contributed to this report.",
    ])
    line = json.dumps({"title": "Harbour wall approved", "text": text, "url": "https://news.example.com/wall"})
    [article] = parse_articles(line.encode(), "wires.jsonl", "upload")
    numbered = dict(enumerate(article.paragraphs, start=1))
    assert numbered == {
        1: "The council approved the harbour wall on Tuesday.",
        2: "The wall will cost 12 million crowns, officials said.",
        3: "“No,” the mayor said when asked about delays.",
    }
