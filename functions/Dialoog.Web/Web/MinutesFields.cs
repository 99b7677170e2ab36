namespace Dialoog.Web;

/// <summary>The fields of a minutes upload, the same for the facilitator's link page and the coordinator's process page.</summary>
internal static class MinutesFields
{
    public const string Html =
        "<div class=\"field\"><label for=\"file\">Het verslag<span class=\"hint\">PDF, Word, OpenDocument of tekst, hoogstens 20 MB</span></label>"
        + "<input type=\"file\" id=\"file\" name=\"file\" accept=\".pdf,.docx,.odt,.txt,.md\"></div>"
        + "<div class=\"field\"><label for=\"actions\">Gemaakte afspraken<span class=\"hint\">Eén per regel: wat; wie; e-mail; klaar vóór (jjjj-mm-dd). "
        + "Bijvoorbeeld: Speeltuin schetsen; Anna Jansen; anna@example.org; 2027-01-31</span></label>"
        + "<textarea id=\"actions\" name=\"actions\" rows=\"6\"></textarea></div>"
        + "<div class=\"field\"><label for=\"uploadedBy\">Uw naam</label><input type=\"text\" id=\"uploadedBy\" name=\"uploadedBy\" autocomplete=\"name\"></div>";
}
