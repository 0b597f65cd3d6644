import pytest

from socialbasis.errors import DataFileError
from socialbasis.textfiles import decode_text, sniff_separator


@pytest.mark.parametrize(
    ("text", "separator"),
    [
        ("Naam;Laag;Adres\nA;persoonlijk;Dam 1\n", ";"),
        ("name,layer\nA,persoonlijk\n", ","),
        ("name\tlayer\nA\tpersoonlijk\n", "\t"),
        ("name|layer\nA|persoonlijk\n", "|"),
        # Quoted values below the header hold other separators; the header decides.
        ('Naam;Adres;Categorie\n"\t";"Dam 1, Zaandam";"a|b\t"\n"x\ty";"";""\n', ";"),
        ('name,address\n"Dam 1; Zaandam","a;b;c;d"\n', ","),
        # A separator inside a quoted header name does not count.
        ('"Naam, organisatie";Laag\nA;persoonlijk\n', ";"),
    ],
)
def test_the_separator_is_read_from_the_header_line(text, separator):
    assert sniff_separator(text) == separator


def test_a_single_column_or_empty_text_reads_as_comma_separated():
    assert sniff_separator("buurtcode\nBU04790000\n") == ","
    assert sniff_separator("") == ","


def test_utf8_with_bom_and_windows_1252_are_both_read():
    assert decode_text("Naam;Adres\nCafé;Dam".encode("utf-8-sig"), "a.csv") == (
        "Naam;Adres\nCafé;Dam",
        "utf-8",
    )
    assert decode_text("Naam;Adres\nCafé;Dam".encode("cp1252"), "a.csv") == (
        "Naam;Adres\nCafé;Dam",
        "cp1252",
    )


def test_bytes_that_are_no_known_encoding_name_the_file_and_line():
    with pytest.raises(DataFileError, match=r"aanbod.csv.*rij 2.*0x81.*CSV UTF-8"):
        decode_text(b"Naam;Adres\nCaf\x81;Dam\n", "aanbod.csv")
