"""The common street trees of NRW, with the age at which each usually enters its
ageing phase (FLL: about 50 to 80 years; short-lived ornamental trees earlier)."""

# (key, botanical name, German name, ageing phase from (years))
SPECIES = (
    ("winterlinde", "Tilia cordata", "Winterlinde", 70),
    ("sommerlinde", "Tilia platyphyllos", "Sommerlinde", 70),
    ("kaiserlinde", "Tilia × europaea", "Kaiserlinde", 70),
    ("spitzahorn", "Acer platanoides", "Spitzahorn", 60),
    ("bergahorn", "Acer pseudoplatanus", "Bergahorn", 60),
    ("feldahorn", "Acer campestre", "Feldahorn", 60),
    ("stieleiche", "Quercus robur", "Stieleiche", 80),
    ("traubeneiche", "Quercus petraea", "Traubeneiche", 80),
    ("roteiche", "Quercus rubra", "Roteiche", 70),
    ("rotbuche", "Fagus sylvatica", "Rotbuche", 80),
    ("hainbuche", "Carpinus betulus", "Hainbuche", 60),
    ("platane", "Platanus × hispanica", "Platane", 80),
    ("esche", "Fraxinus excelsior", "Gemeine Esche", 60),
    ("birke", "Betula pendula", "Sandbirke", 50),
    ("rosskastanie", "Aesculus hippocastanum", "Rosskastanie", 60),
    ("robinie", "Robinia pseudoacacia", "Robinie", 50),
    ("zierkirsche", "Prunus serrulata", "Japanische Zierkirsche", 40),
    ("vogelkirsche", "Prunus avium", "Vogelkirsche", 50),
    ("ginkgo", "Ginkgo biloba", "Ginkgo", 80),
    ("baumhasel", "Corylus colurna", "Baumhasel", 70),
    ("schwarzerle", "Alnus glutinosa", "Schwarzerle", 50),
    ("eberesche", "Sorbus aucuparia", "Eberesche", 40),
    ("mehlbeere", "Sorbus intermedia", "Schwedische Mehlbeere", 50),
    ("gleditschie", "Gleditsia triacanthos", "Gleditschie", 60),
)
