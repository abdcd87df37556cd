"""Articles as they come: web pages, Word files and PDFs, made here as real files and read back.

The web page has the boilerplate of a real news site (navigation, a sidebar of other news,
a footer naming the publisher's city) around a Chinese article; what cygeo parses is the
article, and mention offsets index into the text that ``cygeo.read_document`` returns.
"""

import json
from pathlib import Path

import pytest
from conftest import cli

import cygeo
from cygeo.corpus import geoparse_corpus

TITLE = "荣昌隆昌共建川渝合作示范园区"
BODY = [
    "近日，重庆市荣昌区与四川省隆昌市签署协议，共同建设川渝合作示范园区，推动成渝地区双城经济圈建设走深走实。",
    "双方将在产业协作、交通互联、公共服务共享等方面深化合作，园区规划面积约20平方公里。",
    "荣昌区相关负责人表示，园区将打造川渝毗邻地区合作样板，与川渝高竹新区互学互鉴。",
]
# Places that occur only in the page's boilerplate: none of them may be a mention.
BOILERPLATE_PLACES = {"110000", "310000", "120000", "440100"}  # 北京, 上海, 天津, 广州

NEWS_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{title}_新闻中心_天津网</title>
<script>var _hmt = _hmt || []; window.site = "北京";</script>
<style>.nav {{ color: red }}</style></head>
<body>
<header><div class="logo">天津网</div>
<nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="/bj/">北京频道</a></li><li><a href="/sh/">上海频道</a></li>
<li><a href="/gz/">广州频道</a></li><li><a href="/tj/">天津新闻</a></li></ul></nav></header>
<div class="main"><div class="crumb"><a href="/">首页</a> &gt; <a href="/news/">新闻中心</a> &gt; 正文</div>
<article class="content">
<h1>{title}</h1><div class="info">2026-11-30 09:12 来源：天津网 编辑：张三</div>
{paragraphs}
</article>
<aside class="sidebar"><h3>热点新闻</h3><ul><li><a href="/1">北京朝阳区举办马拉松</a></li>
<li><a href="/2">上海浦东新区发布新规</a></li><li><a href="/3">广州天河区地铁新线开通</a></li></ul></aside></div>
<footer><p>版权所有 2026 天津网 津ICP备00000000号 地址：天津市和平区 电话：022-12345678</p>
<p><a href="/about">关于我们</a> | <a href="/contact">联系我们</a></p></footer>
</body></html>
"""


def news_page(path: Path, charset: str = "utf-8") -> Path:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in BODY)
    path.write_bytes(NEWS_PAGE.format(charset=charset, title=TITLE, paragraphs=paragraphs).encode(charset))
    return path


def word_file(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "天津网 内部资料 北京"
    document.sections[0].footer.paragraphs[0].text = "上海印刷厂承印"
    document.add_heading(TITLE, level=1)
    for paragraph in BODY[:2]:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "园区", (0, 1): "所在地", (1, 0): "川渝高竹新区", (1, 1): "广安市"}.items():
        table.cell(r, c).text = text
    document.add_paragraph(BODY[2])
    document.save(path)
    return path


def pdf_file(path: Path, pages: list[list[str]] | None = None) -> Path:
    """A PDF with a real text layer in a CJK font (matplotlib's PDF backend, Noto Sans CJK)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    pages = pages if pages is not None else [[TITLE, BODY[0][:30], BODY[0][30:]], [BODY[1][:30], BODY[2][:30]]]
    with PdfPages(path) as pdf:
        for lines in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            for i, line in enumerate(lines):
                fig.text(0.08, 0.9 - 0.05 * i, line, family="Noto Sans CJK SC", fontsize=12)
            if not lines:  # a scan: a picture of a page, no text
                fig.figimage([[0.2, 0.8], [0.8, 0.2]], resize=False)
            pdf.savefig(fig)
            plt.close(fig)
    return path


def test_web_page_main_text_without_navigation_sidebar_or_footer(tmp_path):
    text = cygeo.read_document(news_page(tmp_path / "article.html"))
    assert TITLE in text and all(p in text for p in BODY)
    for boilerplate in ("北京频道", "热点新闻", "版权所有", "天津市和平区", "var _hmt", "<p>", "color: red"):
        assert boilerplate not in text
    mentions = cygeo.geoparse(text)
    assert {"500153", "511083", "gaozhu-new-area"} <= set(mentions["place_id"])
    assert not BOILERPLATE_PLACES & set(mentions["place_id"])


def test_web_page_in_gbk_with_a_meta_charset(tmp_path):
    text = cygeo.read_document(news_page(tmp_path / "article.htm", charset="gbk"))
    assert all(p in text for p in BODY) and "天津市和平区" not in text


def test_word_file_body_and_tables_in_order_without_header_and_footer(tmp_path):
    text = cygeo.read_document(word_file(tmp_path / "article.docx"))
    lines = text.splitlines()
    assert lines[0] == TITLE and lines[1:3] == BODY[:2]
    assert "川渝高竹新区\t广安市" in lines and lines[-1] == BODY[2]
    assert lines.index("川渝高竹新区\t广安市") < lines.index(BODY[2])
    assert "天津网" not in text and "上海" not in text


def test_pdf_text_layer_page_by_page(tmp_path):
    text = cygeo.read_document(pdf_file(tmp_path / "article.pdf"))
    for line in (TITLE, BODY[0][:30], BODY[0][30:], BODY[1][:30], BODY[2][:30]):
        assert line in text
    assert text.index(TITLE) < text.index(BODY[1][:30])  # page order


@pytest.mark.parametrize("make, name", [(news_page, "a.html"), (word_file, "a.docx"), (pdf_file, "a.pdf")])
def test_cli_geoparse_offsets_index_into_the_extracted_text(tmp_path, make, name):
    path = make(tmp_path / name)
    out = cli("geoparse", path, "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    text = cygeo.read_document(path)
    assert rows and all(text[r["start"]:r["end"]] == r["surface"] for r in rows)
    assert {"500153", "511083"} <= {r["place_id"] for r in rows}
    assert not BOILERPLATE_PLACES & {r["place_id"] for r in rows}


def test_cli_map_of_a_word_file(tmp_path):
    target = tmp_path / "map.html"
    out = cli("map", word_file(tmp_path / "a.docx"), "-o", target)
    assert out.returncode == 0, out.stderr
    assert "荣昌" in target.read_text(encoding="utf-8")


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _scan(path: Path) -> Path:
    return pdf_file(path, pages=[[]])


def _encrypted(path: Path) -> Path:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pdf_file(path.with_name("plain.pdf")))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    with open(path, "wb") as f:
        writer.write(f)
    return path


UNREADABLE = {
    "scan.pdf": (_scan, "no text layer"),
    "locked.pdf": (_encrypted, "encrypted"),
    "broken.pdf": (lambda p: _bytes(p, b"%PDF-1.7\n\x00\x01garbage"), "not a readable PDF"),
    "broken.docx": (lambda p: _bytes(p, b"PK\x03\x04 not really a zip"), "not a readable Word"),
    "old.doc": (lambda p: _bytes(p, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)), "save it as .docx"),
    "photo.jpg": (lambda p: _bytes(p, b"\xff\xd8\xff\xe0" + bytes(64)), "OCR"),
}


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_what_cannot_be_read_is_said_clearly(tmp_path, name):
    make, says = UNREADABLE[name]
    path = make(tmp_path / name)
    with pytest.raises(cygeo.UnreadableDocumentError, match=says) as info:
        cygeo.read_document(path)
    assert name in str(info.value)
    out = cli("geoparse", path)
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and says in out.stderr and "Traceback" not in out.stderr


def test_corpus_reads_every_format_and_reports_what_it_cannot(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    news_page(folder / "a.html")
    word_file(folder / "b.docx")
    pdf_file(folder / "c.pdf")
    (folder / "d.txt").write_text(BODY[0], encoding="gb18030")
    for name in ("scan.pdf", "old.doc", "broken.docx"):
        UNREADABLE[name][0](folder / name)
    result = geoparse_corpus(folder, progress=False)
    status = dict(zip(result.report["doc_id"], result.report["status"]))
    assert status == {"a.html": "parsed", "b.docx": "parsed", "c.pdf": "parsed", "d.txt": "parsed",
                      "scan.pdf": "unreadable", "old.doc": "unreadable", "broken.docx": "unreadable"}
    reasons = dict(zip(result.report["doc_id"], result.report["reason"]))
    assert "no text layer" in reasons["scan.pdf"] and ".docx" in reasons["old.doc"]
    for doc_id in ("a.html", "b.docx", "c.pdf"):
        text = cygeo.read_document(folder / doc_id)
        rows = result.mentions[result.mentions["doc_id"] == doc_id]
        assert {"500153", "511083"} <= set(rows["place_id"])
        assert all(text[s:e] == w for s, e, w in rows[["start", "end", "surface"]].itertuples(index=False))
    cli_out = cli("corpus", folder, "-o", tmp_path / "out")
    assert cli_out.returncode == 3 and "scan.pdf: unreadable" in cli_out.stderr


def test_plain_text_still_reads_as_before(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(BODY[0].encode("gbk"))
    assert cygeo.read_document(path) == BODY[0]
    with pytest.raises(cygeo.TextDecodeError):
        cygeo.read_document(_bytes(tmp_path / "b.bin", bytes(range(256)) * 8))


def test_a_page_fragment_without_an_article_gives_its_visible_text(tmp_path):
    path = tmp_path / "snippet.html"
    path.write_text("<div><span>荣昌</span> <b>隆昌</b></div>", encoding="utf-8")
    text = cygeo.read_document(path)
    assert "荣昌" in text and "隆昌" in text and "<" not in text


def test_without_the_documents_extra_the_error_names_it(tmp_path):
    import subprocess
    import sys

    path = news_page(tmp_path / "a.html")
    # A module set to None in sys.modules cannot be imported: as if trafilatura were not installed.
    code = ("import sys; sys.modules['trafilatura'] = None\nimport cygeo\n"
            f"try:\n    cygeo.read_document({str(path)!r})\nexcept cygeo.MissingExtraError as e:\n    print(e)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert 'pip install "cygeo[documents]"' in proc.stdout and ".html" in proc.stdout


def test_a_web_page_without_text_is_said_clearly(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var a = '荣昌';</script></head><body><img src='a.png'></body></html>",
                    encoding="utf-8")
    with pytest.raises(cygeo.UnreadableDocumentError, match="no text"):
        cygeo.read_document(path)
