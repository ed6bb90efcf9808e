from asrzoo.testing import LanguagePluginTests


class TestConformance(LanguagePluginTests):
    language = "mn"
