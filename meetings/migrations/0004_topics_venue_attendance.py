"""Topics become a list kept by coordinators: each comma-separated free-text topic becomes a Topic
(the same spelling, case ignored, is one topic) linked to its meetings; then the text column goes.
Also: the venue's accessibility, areas of activity on meetings, on site/online for hybrid registrations."""

from django.db import migrations, models
from django.utils.text import slugify


def topics_from_text(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Topic = apps.get_model("meetings", "Topic")
    by_key = {}
    for meeting in Meeting.objects.exclude(topics_text="").order_by("pk"):
        for raw in meeting.topics_text.split(","):
            name = " ".join(raw.split())[:100]
            if not name:
                continue
            key = name.casefold()
            topic = by_key.get(key)
            if topic is None:
                topic = Topic.objects.filter(name__iexact=name).first()
            if topic is None:
                base = slugify(name)[:90] or "amne"
                slug, n = base, 2
                while Topic.objects.filter(slug=slug).exists():
                    slug, n = f"{base}-{n}", n + 1
                topic = Topic.objects.create(name=name[:1].upper() + name[1:], slug=slug)
            by_key[key] = topic
            meeting.topics.add(topic)


def text_from_topics(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    for meeting in Meeting.objects.prefetch_related("topics"):
        meeting.topics_text = ", ".join(t.name for t in meeting.topics.all())[:300]
        meeting.save(update_fields=["topics_text"])


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0003_document_validators'),
        ('organisations', '0005_unaccent_trigram_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='Topic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('name_en', models.CharField(blank=True, max_length=100, verbose_name='name in English')),
                ('slug', models.SlugField(max_length=100, unique=True, verbose_name='slug')),
            ],
            options={
                'verbose_name': 'topic',
                'verbose_name_plural': 'topics',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='meeting',
            name='areas',
            field=models.ManyToManyField(blank=True, related_name='meetings', to='organisations.areaofactivity', verbose_name='areas of activity'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='venue_accessibility',
            field=models.TextField(blank=True, help_text='E.g. step-free entrance, lift, hearing loop, accessible toilet, parking, public transport.', max_length=1000, verbose_name='accessibility of the venue'),
        ),
        migrations.AddField(
            model_name='registration',
            name='attendance',
            field=models.CharField(blank=True, choices=[('on_site', 'On site'), ('online', 'Online')], help_text='For hybrid meetings: on site or online. Empty for meetings of one format.', max_length=16, verbose_name='takes part'),
        ),
        migrations.RenameField(model_name='meeting', old_name='topics', new_name='topics_text'),
        migrations.AlterField(
            model_name='meeting',
            name='venue_address',
            field=models.CharField(blank=True, help_text='Street, postcode and town, e.g. Storgatan 1, 852 30 Sundsvall. Linked to OpenStreetMap.', max_length=300, verbose_name='street address'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='topics',
            field=models.ManyToManyField(blank=True, related_name='meetings', to='meetings.topic', verbose_name='topics'),
        ),
        migrations.RunPython(topics_from_text, text_from_topics),
        migrations.RemoveField(model_name='meeting', name='topics_text'),
    ]
